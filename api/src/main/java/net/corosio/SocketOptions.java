package net.corosio;

import net.corosio.internal.Checks;

/**
 * TCP socket options applied to every connection made with the options that hold these.
 *
 * <p>A buffer size of 0 leaves the operating system's default (and its auto-tuning) in place; a
 * positive size is a request the kernel may round (Linux doubles it). Immutable and thread-safe.
 *
 * @param tcpNoDelay disable Nagle's algorithm ({@code TCP_NODELAY}); on by default, because a
 *     request/response protocol on a suspending API should not wait for delayed ACKs
 * @param keepAlive enable TCP keep-alive probes ({@code SO_KEEPALIVE}); off by default
 * @param reuseAddress allow binding a listening address in {@code TIME_WAIT} ({@code
 *     SO_REUSEADDR}); on by default, and only meaningful for servers
 * @param receiveBufferSize {@code SO_RCVBUF} in bytes, or 0 for the system default
 * @param sendBufferSize {@code SO_SNDBUF} in bytes, or 0 for the system default
 */
public record SocketOptions(
        boolean tcpNoDelay, boolean keepAlive, boolean reuseAddress, int receiveBufferSize, int sendBufferSize) {

    private static final SocketOptions DEFAULTS = new SocketOptions(true, false, true, 0, 0);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a buffer size is negative
     */
    public SocketOptions {
        Checks.nonNegative("receiveBufferSize", receiveBufferSize);
        Checks.nonNegative("sendBufferSize", sendBufferSize);
    }

    /**
     * Returns the defaults: {@code TCP_NODELAY} on, keep-alive off, reuse-address on, system
     * buffer sizes.
     *
     * @return the default socket options
     */
    public static SocketOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with the given receive buffer size.
     *
     * @param bytes {@code SO_RCVBUF}, or 0 for the system default
     * @return a new instance
     */
    public SocketOptions withReceiveBufferSize(int bytes) {
        return new SocketOptions(tcpNoDelay, keepAlive, reuseAddress, bytes, sendBufferSize);
    }

    /**
     * Returns a copy with the given send buffer size.
     *
     * @param bytes {@code SO_SNDBUF}, or 0 for the system default
     * @return a new instance
     */
    public SocketOptions withSendBufferSize(int bytes) {
        return new SocketOptions(tcpNoDelay, keepAlive, reuseAddress, receiveBufferSize, bytes);
    }

    /**
     * Returns a copy with {@code TCP_NODELAY} set as given.
     *
     * @param on whether to disable Nagle's algorithm
     * @return a new instance
     */
    public SocketOptions withTcpNoDelay(boolean on) {
        return new SocketOptions(on, keepAlive, reuseAddress, receiveBufferSize, sendBufferSize);
    }

    /**
     * Returns a copy with {@code SO_KEEPALIVE} set as given.
     *
     * @param on whether to send keep-alive probes
     * @return a new instance
     */
    public SocketOptions withKeepAlive(boolean on) {
        return new SocketOptions(tcpNoDelay, on, reuseAddress, receiveBufferSize, sendBufferSize);
    }
}
