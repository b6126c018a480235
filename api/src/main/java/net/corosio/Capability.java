package net.corosio;

/**
 * Optional features a backend may declare. The kit runs the rules of a declared capability and
 * fails the backend if they fail; a rule whose capability is not declared is skipped with that
 * reason, never passed silently.
 */
public enum Capability {
    /** TLS 1.2 and 1.3 through {@link TlsConfig}. */
    TLS,
    /** ALPN negotiation ({@link TlsConfig#applicationProtocols()}). */
    TLS_ALPN,
    /** Client certificates ({@link ClientAuth#WANT} and {@link ClientAuth#NEED}). */
    TLS_CLIENT_AUTH,
    /** Half-close of a TLS connection: {@link Connection#shutdownOutput()} sends close_notify and reading continues. */
    TLS_HALF_CLOSE,
    /** IPv6 addresses, where the machine has them. */
    IPV6,
    /**
     * Handlers carried by the backend's own event loop threads ({@link HandlerExecutors#eventLoop()}),
     * where the JVM allows it.
     */
    EVENT_LOOP_HANDLERS
}
