package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.junit.jupiter.api.Test;

/** The one table that maps native exceptions to {@link ErrorKind}s for every backend. */
class ErrorClassifierTest {

    private static ErrorKind classify(Throwable error) {
        return ErrorClassifier.classify(error, ErrorKind.READ_TIMEOUT);
    }

    @Test
    void refusedConnects() {
        assertEquals(ErrorKind.REFUSED, classify(new ConnectException("Connection refused")));
        assertEquals(ErrorKind.REFUSED, classify(new IOException("connect(..) failed: Connection refused")),
                "a library's own exception type with the errno's words");
        assertEquals(ErrorKind.CONNECT_TIMEOUT, classify(new ConnectException("Connection timed out")));
        assertEquals(ErrorKind.IO, classify(new ConnectException("Network is unreachable")));
    }

    @Test
    void resetsAndBrokenPipes() {
        assertEquals(ErrorKind.RESET, classify(new SocketException("Connection reset")));
        assertEquals(ErrorKind.RESET, classify(new IOException("Connection reset by peer")));
        assertEquals(ErrorKind.RESET, classify(new IOException("Broken pipe")));
        assertEquals(ErrorKind.RESET, classify(new IOException("writev(..) failed: ECONNRESET")));
        assertEquals(ErrorKind.RESET, classify(new SocketException("write failed: EPIPE")));
    }

    @Test
    void theCauseChainIsSearched() {
        Throwable wrapped = new IOException("wrapper",
                new RuntimeException("middle", new SocketException("Connection reset")));
        assertEquals(ErrorKind.RESET, classify(wrapped));
        assertEquals(ErrorKind.REFUSED, classify(new UncheckedIOException(new ConnectException("Connection refused"))));
        assertEquals(ErrorKind.TLS_HANDSHAKE, classify(new RuntimeException(new SSLHandshakeException("bad certificate"))));
    }

    @Test
    void theOutermostSpecificExceptionWins() {
        Throwable closedOverReset = new AsynchronousCloseException();
        closedOverReset.initCause(new SocketException("Connection reset"));
        assertEquals(ErrorKind.CLOSED, classify(closedOverReset));
    }

    @Test
    void aCycleInTheCauseChainEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b");
        a.initCause(b);
        b.initCause(a);
        assertEquals(ErrorKind.IO, classify(a));
    }

    @Test
    void interruptsAreCancellations() {
        assertEquals(ErrorKind.CANCELLED, classify(new ClosedByInterruptException()));
        assertEquals(ErrorKind.CANCELLED, classify(new InterruptedIOException("interrupted")));
        assertEquals(ErrorKind.CANCELLED, classify(new InterruptedException()));
    }

    @Test
    void asynchronousAndOrdinaryClosesAreClosed() {
        assertEquals(ErrorKind.CLOSED, classify(new AsynchronousCloseException()));
        assertEquals(ErrorKind.CLOSED, classify(new ClosedChannelException()));
    }

    @Test
    void aSocketTimeoutIsTheKindTheCallerGives() {
        assertEquals(ErrorKind.READ_TIMEOUT, ErrorClassifier.classify(new SocketTimeoutException("Read timed out"),
                ErrorKind.READ_TIMEOUT));
        assertEquals(ErrorKind.CONNECT_TIMEOUT, ErrorClassifier.classify(new SocketTimeoutException("Connect timed out"),
                ErrorKind.CONNECT_TIMEOUT));
        assertEquals(ErrorKind.WRITE_TIMEOUT, ErrorClassifier.classify(new SocketTimeoutException(),
                ErrorKind.WRITE_TIMEOUT));
    }

    @Test
    void unresolvableHosts() {
        assertEquals(ErrorKind.UNRESOLVED, classify(new UnknownHostException("no-such-host.invalid")));
        assertEquals(ErrorKind.UNRESOLVED, classify(new UnresolvedAddressException()));
    }

    @Test
    void addressesInUse() {
        assertEquals(ErrorKind.ADDRESS_IN_USE, classify(new BindException("Address already in use")));
        assertEquals(ErrorKind.ADDRESS_IN_USE, classify(new IOException("bind(..) failed: Address already in use")));
        assertEquals(ErrorKind.IO, classify(new BindException("Cannot assign requested address")));
    }

    @Test
    void tlsFailures() {
        assertEquals(ErrorKind.TLS_HANDSHAKE, classify(new SSLHandshakeException("PKIX path building failed")));
        assertEquals(ErrorKind.TLS_HANDSHAKE, classify(new SSLException("Received fatal alert: bad_certificate")));
        assertEquals(ErrorKind.TLS_TRUNCATED, classify(new SSLException("closing inbound before receiving peer's close_notify")));
        assertEquals(ErrorKind.IO, classify(new SSLException("Tag mismatch")));
    }

    @Test
    void aTransportExceptionKeepsItsKind() {
        assertEquals(ErrorKind.IDLE_TIMEOUT, classify(new TransportException(ErrorKind.IDLE_TIMEOUT, "idle")));
        assertEquals(ErrorKind.WRITE_TIMEOUT,
                classify(new IOException("wrapped", new TransportException(ErrorKind.WRITE_TIMEOUT, "stalled"))));
    }

    @Test
    void anythingElseIsIo() {
        assertEquals(ErrorKind.IO, classify(new IOException("something unusual happened")));
        assertEquals(ErrorKind.IO, classify(new IOException()));
        assertEquals(ErrorKind.IO, classify(new SocketException("No route to host")));
        assertEquals(ErrorKind.IO, classify(new IllegalStateException("not I/O at all")));
        assertEquals(ErrorKind.IO, classify(null));
    }
}
