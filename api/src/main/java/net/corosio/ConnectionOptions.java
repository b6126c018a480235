package net.corosio;

import java.time.Duration;
import java.util.Objects;
import net.corosio.internal.Checks;

/**
 * How one connection behaves once it exists, on either side: its timeouts, its buffering limits
 * and its socket options. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <p>A timeout of {@link Duration#ZERO} means "no timeout". Timeouts follow one rule: <em>as long
 * as forward progress is being made, no call fails</em>. A read timeout bounds the wait for the
 * next byte; a write timeout bounds the time a write makes no progress; the idle timeout bounds the
 * time nothing at all is read or written.
 *
 * @param readTimeout how long a {@link Connection#read read} waits for a byte before failing with
 *     {@link ErrorKind#READ_TIMEOUT} (the connection stays usable); default none
 * @param writeTimeout how long a {@link Connection#write write} may make no progress before failing
 *     with {@link ErrorKind#WRITE_TIMEOUT} (the connection is aborted); default none
 * @param idleTimeout how long the connection may see no byte read or written before the transport
 *     closes it, failing pending and later calls with {@link ErrorKind#IDLE_TIMEOUT}; default none
 * @param tlsHandshakeTimeout how long a TLS handshake may take before it fails with {@link
 *     ErrorKind#TLS_HANDSHAKE}; default 10 seconds; ignored without TLS
 * @param closeTimeout how long a graceful {@link Connection#close close} may spend sending what
 *     earlier writes accepted (and the TLS {@code close_notify}) and draining what the peer still
 *     sends before it aborts; default 5 seconds; {@link Duration#ZERO} closes without lingering
 * @param inboundLimit the most bytes a backend may hold for this connection beyond the kernel's
 *     receive buffer while the application is not reading; reading from the socket stops when it is
 *     reached, so a slow reader pushes back on the peer instead of growing memory; default 256 KiB
 *     (an event-loop backend pauses and resumes reading each time the reader falls behind by this
 *     much, and at 64 KiB — one full socket read — that round trip through the loop halved
 *     one-way streaming throughput in the lab's {@code bulk} scenario)
 * @param writeHighWaterMark a write that finds at least this many bytes queued in the backend
 *     waits until the queue falls to {@code writeLowWaterMark}; default 64 KiB
 * @param writeLowWaterMark see {@code writeHighWaterMark}; default 32 KiB
 * @param socket the TCP socket options
 */
public record ConnectionOptions(
        Duration readTimeout,
        Duration writeTimeout,
        Duration idleTimeout,
        Duration tlsHandshakeTimeout,
        Duration closeTimeout,
        int inboundLimit,
        int writeHighWaterMark,
        int writeLowWaterMark,
        SocketOptions socket) {

    private static final ConnectionOptions DEFAULTS = builder().build();

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a timeout is negative, a limit is not positive, or the
     *     low water mark is above the high one
     * @throws NullPointerException if a component is {@code null}
     */
    public ConnectionOptions {
        Checks.timeout("readTimeout", readTimeout);
        Checks.timeout("writeTimeout", writeTimeout);
        Checks.timeout("idleTimeout", idleTimeout);
        Checks.timeout("tlsHandshakeTimeout", tlsHandshakeTimeout);
        Checks.timeout("closeTimeout", closeTimeout);
        Checks.positive("inboundLimit", inboundLimit);
        Checks.positive("writeHighWaterMark", writeHighWaterMark);
        Checks.nonNegative("writeLowWaterMark", writeLowWaterMark);
        if (writeLowWaterMark > writeHighWaterMark) {
            throw new IllegalArgumentException(
                    "writeLowWaterMark > writeHighWaterMark: " + writeLowWaterMark + " > " + writeHighWaterMark);
        }
        Objects.requireNonNull(socket, "socket");
    }

    /**
     * Returns the defaults documented on each component.
     *
     * @return the default connection options
     */
    public static ConnectionOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .readTimeout(readTimeout)
                .writeTimeout(writeTimeout)
                .idleTimeout(idleTimeout)
                .tlsHandshakeTimeout(tlsHandshakeTimeout)
                .closeTimeout(closeTimeout)
                .inboundLimit(inboundLimit)
                .writeWaterMarks(writeLowWaterMark, writeHighWaterMark)
                .socket(socket);
    }

    /** Builds {@link ConnectionOptions}; not thread-safe. Values are checked by {@link #build()}. */
    public static final class Builder {
        private Duration readTimeout = Duration.ZERO;
        private Duration writeTimeout = Duration.ZERO;
        private Duration idleTimeout = Duration.ZERO;
        private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int inboundLimit = 256 * 1024;
        private int writeHighWaterMark = 64 * 1024;
        private int writeLowWaterMark = 32 * 1024;
        private SocketOptions socket = SocketOptions.defaults();

        private Builder() {}

        /**
         * Sets the read timeout.
         *
         * @param timeout the wait for the next byte, or {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /**
         * Sets the write timeout.
         *
         * @param timeout the time a write may make no progress, or {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = timeout;
            return this;
        }

        /**
         * Sets the idle timeout.
         *
         * @param timeout the time without a byte read or written, or {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets the TLS handshake timeout.
         *
         * @param timeout the time a handshake may take, or {@link Duration#ZERO} for none
         * @return this builder
         */
        public Builder tlsHandshakeTimeout(Duration timeout) {
            this.tlsHandshakeTimeout = timeout;
            return this;
        }

        /**
         * Sets the close timeout.
         *
         * @param timeout the time a graceful close may take before aborting, or {@link
         *     Duration#ZERO} for none
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Sets the inbound limit.
         *
         * @param bytes the most bytes held beyond the kernel while the application is not reading
         * @return this builder
         */
        public Builder inboundLimit(int bytes) {
            this.inboundLimit = bytes;
            return this;
        }

        /**
         * Sets the write water marks.
         *
         * @param low the queued bytes at which a waiting write resumes
         * @param high the queued bytes at which a write waits
         * @return this builder
         */
        public Builder writeWaterMarks(int low, int high) {
            this.writeLowWaterMark = low;
            this.writeHighWaterMark = high;
            return this;
        }

        /**
         * Sets the socket options.
         *
         * @param socket the TCP socket options
         * @return this builder
         */
        public Builder socket(SocketOptions socket) {
            this.socket = socket;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range, naming it
         */
        public ConnectionOptions build() {
            return new ConnectionOptions(
                    readTimeout,
                    writeTimeout,
                    idleTimeout,
                    tlsHandshakeTimeout,
                    closeTimeout,
                    inboundLimit,
                    writeHighWaterMark,
                    writeLowWaterMark,
                    socket);
        }
    }
}
