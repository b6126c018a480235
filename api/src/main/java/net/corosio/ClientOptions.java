package net.corosio;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import net.corosio.internal.Checks;

/**
 * How {@link Transport#connect} makes a connection. Immutable and thread-safe; build one with
 * {@link #builder()}.
 *
 * @param connectTimeout how long connecting (and resolving the host) may take before failing with
 *     {@link ErrorKind#CONNECT_TIMEOUT}; default 10 seconds; {@link Duration#ZERO} for the
 *     operating system's own limit
 * @param connection how the connection behaves once made
 * @param tls the TLS settings, or {@code null} for plain TCP
 * @param localAddress the local address to bind before connecting, or {@code null} for any
 */
public record ClientOptions(
        Duration connectTimeout, ConnectionOptions connection, TlsConfig tls, InetSocketAddress localAddress) {

    private static final ClientOptions DEFAULTS = builder().build();

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the connect timeout is negative
     * @throws NullPointerException if {@code connectTimeout} or {@code connection} is null
     */
    public ClientOptions {
        Checks.timeout("connectTimeout", connectTimeout);
        Objects.requireNonNull(connection, "connection");
    }

    /**
     * Returns the defaults: plain TCP, a 10-second connect timeout and the default {@link
     * ConnectionOptions}.
     *
     * @return the default client options
     */
    public static ClientOptions defaults() {
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
        return new Builder().connectTimeout(connectTimeout).connection(connection).tls(tls).localAddress(localAddress);
    }

    /** Builds {@link ClientOptions}; not thread-safe. Values are checked by {@link #build()}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ConnectionOptions connection = ConnectionOptions.defaults();
        private TlsConfig tls;
        private InetSocketAddress localAddress;

        private Builder() {}

        /**
         * Sets the connect timeout.
         *
         * @param timeout the time connecting may take, or {@link Duration#ZERO} for the system's
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets how the connection behaves once made.
         *
         * @param connection the connection options
         * @return this builder
         */
        public Builder connection(ConnectionOptions connection) {
            this.connection = connection;
            return this;
        }

        /**
         * Sets the TLS settings.
         *
         * @param tls the settings, or {@code null} for plain TCP
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the local address to bind before connecting.
         *
         * @param address the address, or {@code null} for any
         * @return this builder
         */
        public Builder localAddress(InetSocketAddress address) {
            this.localAddress = address;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range, naming it
         */
        public ClientOptions build() {
            return new ClientOptions(connectTimeout, connection, tls, localAddress);
        }
    }
}
