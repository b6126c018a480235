package net.corosio.jetty;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The transport's {@link ClientConnector}: its selectors run every client connection. Connected
 * sockets come in through {@link #accept(SelectableChannel, Map)} with a {@link ClientAttempt} in
 * the context, which builds the connection stack.
 *
 * <p>Jetty's connector-wide settings are neutralised because the API's are per connection: socket
 * options are set on each channel before it connects (so {@link #configure} does nothing), the
 * end points have no Jetty idle timeout (the connection runs its own), and no {@code
 * SslContextFactory} is made (TLS engines come from each connection's {@code TlsConfig}).
 */
final class JettyClientConnector extends ClientConnector {

    /** The context key of the {@link ClientAttempt} a socket belongs to. */
    static final String ATTEMPT_CONTEXT_KEY = "net.corosio.jetty.attempt";

    JettyClientConnector(Executor executor, Scheduler scheduler, ByteBufferPool pool, int selectors) {
        setExecutor(executor);
        setScheduler(scheduler);
        setByteBufferPool(pool);
        setSelectors(selectors);
        setIdleTimeout(Duration.ZERO);
    }

    @Override
    protected void configure(SelectableChannel channel) {
        // Per-connection options were applied before the connect.
    }

    @Override
    protected SslContextFactory.Client newSslContextFactory() {
        return null;
    }

    @Override
    protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        return new SocketEndPoint((SocketChannel) channel, selector, key, getScheduler());
    }

    @Override
    protected Connection newConnection(EndPoint endPoint, Map<String, Object> context) {
        return ((ClientAttempt) context.get(ATTEMPT_CONTEXT_KEY)).newConnection((SocketEndPoint) endPoint);
    }
}
