package net.corosio;

import java.util.Objects;
import java.util.concurrent.Executor;
import net.corosio.internal.Checks;

/**
 * How {@link Transport#serve} listens and runs handlers. Immutable and thread-safe; build one with
 * {@link #builder()}.
 *
 * @param backlog the listen queue length handed to the kernel; default 1024
 * @param maxConnections the most connections whose handlers run at once, or 0 for no limit; a
 *     connection accepted beyond it is closed at once without running the handler and counted as
 *     rejected in {@link ServerMetrics}; default 0
 * @param connection how each accepted connection behaves
 * @param tls the TLS settings (with the server's certificate), or {@code null} for plain TCP
 * @param handlerExecutor where handlers run (see {@link HandlerExecutors}): default {@link
 *     HandlerExecutors#virtualThreads()}; {@link HandlerExecutors#eventLoop()} for virtual threads
 *     carried by the backend's event loops. A caller-supplied executor stays the caller's to shut
 *     down; a handler it rejects has its connection aborted and counted as rejected
 */
public record ServerOptions(
        int backlog, int maxConnections, ConnectionOptions connection, TlsConfig tls, Executor handlerExecutor) {

    private static final ServerOptions DEFAULTS = builder().build();

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code backlog} is not positive or {@code
     *     maxConnections} is negative
     * @throws NullPointerException if {@code connection} or {@code handlerExecutor} is null
     */
    public ServerOptions {
        Checks.positive("backlog", backlog);
        Checks.nonNegative("maxConnections", maxConnections);
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(handlerExecutor, "handlerExecutor");
    }

    /**
     * Returns the defaults: plain TCP, backlog 1024, no connection limit, handlers on virtual
     * threads and the default {@link ConnectionOptions}.
     *
     * @return the default server options
     */
    public static ServerOptions defaults() {
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
                .backlog(backlog)
                .maxConnections(maxConnections)
                .connection(connection)
                .tls(tls)
                .handlerExecutor(handlerExecutor);
    }

    /** Builds {@link ServerOptions}; not thread-safe. Values are checked by {@link #build()}. */
    public static final class Builder {
        private int backlog = 1024;
        private int maxConnections;
        private ConnectionOptions connection = ConnectionOptions.defaults();
        private TlsConfig tls;
        private Executor handlerExecutor = HandlerExecutors.virtualThreads();

        private Builder() {}

        /**
         * Sets the listen backlog.
         *
         * @param backlog the kernel's listen queue length
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Sets the connection limit.
         *
         * @param max the most concurrent connections, or 0 for no limit
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets how each accepted connection behaves.
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
         * Sets where handlers run.
         *
         * @param executor the executor; the caller keeps ownership of it
         * @return this builder
         */
        public Builder handlerExecutor(Executor executor) {
            this.handlerExecutor = executor;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range, naming it
         */
        public ServerOptions build() {
            return new ServerOptions(backlog, maxConnections, connection, tls, handlerExecutor);
        }
    }
}
