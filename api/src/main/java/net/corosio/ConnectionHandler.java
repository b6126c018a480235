package net.corosio;

/**
 * Serves one accepted connection. A {@link Server} calls it once per connection, on a thread of
 * the server's handler executor (a new virtual thread by default), after the TLS handshake has
 * completed.
 *
 * <p>When the handler returns, the server closes the connection gracefully. When it throws, the
 * server aborts the connection, logs the exception, counts it in {@link
 * ServerMetrics#handlerFailures()} and carries on serving other connections.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * Serves the connection; it may block for as long as the conversation lasts.
     *
     * @param connection the accepted connection, open and (with TLS) past its handshake
     * @throws Exception anything; it aborts this connection only
     */
    void handle(Connection connection) throws Exception;
}
