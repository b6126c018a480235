package net.corosio.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import net.corosio.ConnectionHandler;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractServer;
import net.corosio.spi.TlsEngines;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jetty server. Like Jetty's own {@code ServerConnector}, it accepts with a blocking {@code
 * accept()} (here on a virtual thread) and hands each socket to the transport's selectors with
 * {@code SelectorManager.accept}; from then on the socket belongs to the event loop.
 */
final class JettyServer extends AbstractServer<JettyConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(JettyServer.class);

    /** How long the accept loop pauses after an unexpected failure (say, out of descriptors). */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(50);

    /** How long stopping waits for the accept loop to notice the closed listener. */
    private static final Duration ACCEPTOR_EXIT_WAIT = Duration.ofSeconds(5);

    private final JettyTransport transport;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private volatile Thread acceptor;

    JettyServer(JettyTransport transport, ServerSocketChannel listener, ServerOptions options, ConnectionHandler handler)
            throws IOException {
        super(JettyTransportProvider.NAME, options, handler);
        this.transport = transport;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    /** Sets what runs once shutdown has completed (the transport stops tracking the server). */
    void onShutdownRun(Runnable action) {
        onShutdown(action);
    }

    void start() {
        acceptor = Thread.ofVirtual().name("corosio-jetty-accept-" + localAddress.getPort()).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return;
                }
                LOG.warn("jetty server on {}: accept failed; retrying in {}", localAddress, ACCEPT_BACKOFF, e);
                try {
                    Thread.sleep(ACCEPT_BACKOFF);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            try {
                SocketConfig.accepted(channel, options().connection().socket());
                channel.configureBlocking(false);
            } catch (IOException | RuntimeException e) {
                LOG.debug("jetty server on {}: dropping a connection that failed to set up", localAddress, e);
                JettyTransport.closeQuietly(channel);
                continue;
            }
            transport.io().servers().accept(channel, this);
        }
    }

    /** On a selector thread: builds the connection stack for an accepted socket. */
    Connection newConnection(SocketEndPoint endPoint) {
        return transport.newStack(endPoint, true, options().connection(),
                options().tls() == null ? null : TlsEngines.server(options().tls()), traffic());
    }

    /** On a selector thread: the connection is open and reading; its handler may start. */
    void opened(JettyConnection connection) {
        accepted(connection);
    }

    @Override
    protected void prepare(JettyConnection connection) throws TransportException {
        connection.awaitHandshake();
    }

    /**
     * Closes the listener and waits for the accept loop to end: while a thread is blocked in
     * {@code accept()} the JDK defers the socket's real close until that thread wakes, and until
     * then new connects would still be accepted (and reset) instead of refused.
     */
    @Override
    protected void stopAccepting() {
        JettyTransport.closeQuietly(listener);
        Thread thread = acceptor;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                if (!thread.join(ACCEPTOR_EXIT_WAIT)) {
                    LOG.warn("jetty server on {}: accept loop still running {} after the listener closed",
                            localAddress, ACCEPTOR_EXIT_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }
}
