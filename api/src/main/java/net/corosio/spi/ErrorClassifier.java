package net.corosio.spi;

import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;

/**
 * Maps the exceptions that JDK channels, sockets, {@code SSLEngine} and the event-loop libraries
 * throw to an {@link ErrorKind}. One table for every backend, so the same event gets the same kind
 * everywhere; a backend that meets an exception this table does not know should extend the table
 * here rather than map it locally.
 *
 * <p>The libraries do not agree on types (Netty's epoll transport reports {@code ECONNRESET} as a
 * native exception whose message says "Connection reset by peer"; the JDK throws {@code
 * SocketException} with the same words), so after types the table falls back to the message
 * texts every platform uses for the same errno. Stateless and thread-safe.
 */
public final class ErrorClassifier {

    private static final int MAX_CAUSE_DEPTH = 8;

    private ErrorClassifier() {}

    /**
     * Classifies an exception, looking through its causes.
     *
     * @param error the native exception
     * @param timeoutKind the kind to report for a socket timeout, which depends on the call that
     *     timed out ({@link ErrorKind#READ_TIMEOUT}, {@link ErrorKind#CONNECT_TIMEOUT}, ...)
     * @return the kind; {@link ErrorKind#IO} when nothing more specific applies
     */
    public static ErrorKind classify(Throwable error, ErrorKind timeoutKind) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            ErrorKind kind = classifyOne(t, timeoutKind);
            if (kind != null) {
                return kind;
            }
        }
        return ErrorKind.IO;
    }

    private static ErrorKind classifyOne(Throwable t, ErrorKind timeoutKind) {
        if (t instanceof TransportException e) {
            return e.kind();
        }
        if (t instanceof ClosedByInterruptException) {
            return ErrorKind.CANCELLED;
        }
        if (t instanceof AsynchronousCloseException || t instanceof ClosedChannelException) {
            return ErrorKind.CLOSED;
        }
        if (t instanceof SocketTimeoutException) {
            return timeoutKind;
        }
        if (t instanceof InterruptedIOException || t instanceof InterruptedException) {
            return ErrorKind.CANCELLED;
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return ErrorKind.UNRESOLVED;
        }
        String message = lower(t.getMessage());
        if (t instanceof SSLHandshakeException) {
            return ErrorKind.TLS_HANDSHAKE;
        }
        if (t instanceof SSLException) {
            if (message.contains("close_notify") || message.contains("truncat")) {
                return ErrorKind.TLS_TRUNCATED;
            }
            if (message.contains("certificate") || message.contains("handshake") || message.contains("alert")) {
                // TLS 1.3: a client whose certificate the server rejected completes its handshake
                // and learns of the rejection from the alert on its next read.
                return ErrorKind.TLS_HANDSHAKE;
            }
            return ErrorKind.IO;
        }
        if (t instanceof BindException) {
            return message.contains("in use") ? ErrorKind.ADDRESS_IN_USE : ErrorKind.IO;
        }
        if (t instanceof ConnectException) {
            if (message.contains("refused")) {
                return ErrorKind.REFUSED;
            }
            if (message.contains("timed out")) {
                return ErrorKind.CONNECT_TIMEOUT;
            }
            return ErrorKind.IO;
        }
        if (message.contains("connection reset")
                || message.contains("reset by peer")
                || message.contains("broken pipe")
                || message.contains("econnreset")
                || message.contains("epipe")) {
            return ErrorKind.RESET;
        }
        if (message.contains("connection refused")) {
            return ErrorKind.REFUSED;
        }
        if (message.contains("address already in use")) {
            return ErrorKind.ADDRESS_IN_USE;
        }
        return null;
    }

    private static String lower(String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
