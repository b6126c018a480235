package net.corosio;

/**
 * The closed set of reasons a transport call can fail. Every backend reports the same kind for
 * the same event; {@code tck/SPEC.md} pins each one down with a rule and a test.
 *
 * <p>Each constant says what happened and what state the connection is left in. "Terminal" means
 * the connection is closed and every later {@link Connection#read read}, {@link Connection#write
 * write} and {@link Connection#shutdownOutput shutdownOutput} fails with the same kind (or with
 * {@link #CLOSED} once the owner has called {@link Connection#close close} or {@link
 * Connection#abort abort}).
 */
public enum ErrorKind {

    /** The peer refused the connection (nothing listens there). No connection was made. */
    REFUSED,

    /** The host name could not be resolved to an address. No connection was made. */
    UNRESOLVED,

    /** The connection was not established within the connect timeout. No connection was made. */
    CONNECT_TIMEOUT,

    /** The local address is already bound by another socket. No server was started. */
    ADDRESS_IN_USE,

    /**
     * The peer reset the connection (TCP RST), or the peer had closed and a write could not be
     * delivered. Never reported as end-of-stream. Terminal.
     */
    RESET,

    /**
     * The connection was closed locally, by {@link Connection#close}, {@link Connection#abort},
     * the server's shutdown or the transport's close. A call blocked at that moment fails with
     * this kind promptly. Terminal.
     */
    CLOSED,

    /**
     * A write (or a second half-close of a different kind) was attempted after {@link
     * Connection#shutdownOutput}. The input side is unaffected; the connection stays open.
     */
    OUTPUT_SHUTDOWN,

    /**
     * No byte arrived within the read timeout. Not terminal: the connection stays open and the
     * next read may succeed.
     */
    READ_TIMEOUT,

    /**
     * A write made no progress within the write timeout. How much of it reached the peer is
     * unknown, so the connection is aborted. Terminal.
     */
    WRITE_TIMEOUT,

    /**
     * Nothing was read or written for the idle timeout; the transport closed the connection.
     * Terminal.
     */
    IDLE_TIMEOUT,

    /**
     * The calling thread was interrupted while blocked in (or before entering) a call. The
     * connection is aborted, because the call's progress is unknown, and the thread's interrupt
     * status stays set. Terminal.
     */
    CANCELLED,

    /**
     * The TLS handshake failed or did not complete within the handshake timeout: untrusted or
     * wrong-host certificate, a client certificate the server rejected (with TLS 1.3 this may be
     * reported by the first read after {@code connect} returned), no common protocol or cipher
     * suite, or a fatal alert. Terminal.
     */
    TLS_HANDSHAKE,

    /**
     * The peer ended the TCP stream without a TLS {@code close_notify}: the data may have been
     * cut short by an attacker or a crash. Reported instead of end-of-stream. Terminal.
     */
    TLS_TRUNCATED,

    /**
     * An I/O failure that none of the other kinds describes (for example an unreachable network
     * or a TLS record that fails to decrypt). The connection is aborted. Terminal. The kit never
     * expects this kind; seeing it in a log usually means a backend's error mapping has a gap.
     */
    IO;

    /**
     * Whether this kind ends the connection it was reported on.
     *
     * @return {@code false} only for {@link #READ_TIMEOUT} and {@link #OUTPUT_SHUTDOWN}, and for
     *     the kinds that happen before a connection exists
     */
    public boolean isTerminal() {
        return switch (this) {
            case READ_TIMEOUT, OUTPUT_SHUTDOWN, REFUSED, UNRESOLVED, CONNECT_TIMEOUT, ADDRESS_IN_USE -> false;
            default -> true;
        };
    }
}
