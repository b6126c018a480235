package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Transport;
import net.corosio.TransportException;
import okio.ByteString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared adapter on every backend: the connection's timeouts surface as Okio's {@link
 * SocketTimeoutException} with the kind as cause, an Okio deadline closes the connection after its
 * notice, and closing the sink half-closes.
 */
class OkioConnectionTest {

    private static final int TIMEOUT_MS = 10_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aReadTimeoutIsOkiosTimeoutAndLeavesTheConnectionUsable(String backend) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Transport transport = Transport.open(backend)) {
            ClientOptions options = ClientOptions.builder()
                    .connection(ConnectionOptions.builder().readTimeout(Duration.ofMillis(200)).build())
                    .build();
            try (Connection connection = transport.connect((InetSocketAddress) listener.getLocalSocketAddress(), options);
                    Socket peer = listener.accept()) {
                OkioConnection io = OkioConnection.of(connection);
                SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, () -> io.source().readByte());
                TransportException cause = assertInstanceOf(TransportException.class, timeout.getCause());
                assertEquals(ErrorKind.READ_TIMEOUT, cause.kind());
                peer.getOutputStream().write("later\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("later", io.source().readUtf8LineStrict());
                io.sink().writeUtf8("bye").close(); // flush, then half-close
                assertEquals("bye", new String(peer.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                assertTrue(connection.isOpen(), "half-closed is still open");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void anOkioDeadlineClosesTheConnectionAfterItsNotice(String backend) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Transport transport = Transport.open(backend);
                Connection connection = transport.connect((InetSocketAddress) listener.getLocalSocketAddress());
                Socket peer = listener.accept()) {
            peer.setSoTimeout(TIMEOUT_MS);
            OkioConnection io = OkioConnection.of(connection);
            io.timeoutNotice(ByteString.encodeUtf8("too slow\n"));
            io.source().timeout().deadline(300, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> io.source().readByte());
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs >= 250 && tookMs < 5000, "timed out after " + tookMs + " ms");
            InputStream in = peer.getInputStream();
            assertEquals("too slow\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII), "notice, then the end");
        }
    }
}
