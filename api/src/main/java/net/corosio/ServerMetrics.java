package net.corosio;

/**
 * A snapshot of a server's counters, all since the server started. Reading one is cheap and
 * thread-safe; the counters are consistent with each other only approximately.
 *
 * @param accepted connections accepted from the kernel, including rejected ones
 * @param active connections whose handler is running (or about to run) now
 * @param rejected connections closed at once because of {@link ServerOptions#maxConnections} or a
 *     handler executor that refused them
 * @param handlerFailures handlers that threw
 * @param tlsHandshakeFailures accepted connections whose TLS handshake failed or timed out
 * @param bytesRead application bytes read by handlers (decrypted, for TLS)
 * @param bytesWritten application bytes accepted from handlers' writes (before encryption)
 */
public record ServerMetrics(
        long accepted,
        long active,
        long rejected,
        long handlerFailures,
        long tlsHandshakeFailures,
        long bytesRead,
        long bytesWritten) {}
