package net.corosio.loom;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loom server: one virtual thread blocks in {@code accept()} and hands each socket to {@link
 * AbstractServer}, which runs the handler. Closing the listening channel ends the accept loop.
 */
final class LoomServer extends AbstractServer<LoomConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(LoomServer.class);

    /** How long the accept loop pauses after an unexpected failure (say, out of descriptors). */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(50);

    /** How long stopping waits for the accept loop to notice the closed listener. */
    private static final Duration ACCEPTOR_EXIT_WAIT = Duration.ofSeconds(5);

    private final LoomTransport transport;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private volatile Thread acceptor;

    LoomServer(LoomTransport transport, ServerSocketChannel listener, ServerOptions options, ConnectionHandler handler)
            throws IOException {
        super(LoomTransportProvider.NAME, options, handler);
        this.transport = transport;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    /** Sets what runs once shutdown has completed (the transport stops tracking the server). */
    void onShutdownRun(Runnable action) {
        onShutdown(action);
    }

    void start() {
        acceptor = Thread.ofVirtual().name("corosio-loom-accept-" + localAddress.getPort()).start(this::acceptLoop);
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
                LOG.warn("loom server on {}: accept failed; retrying in {}", localAddress, ACCEPT_BACKOFF, e);
                try {
                    Thread.sleep(ACCEPT_BACKOFF);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            LoomConnection connection;
            try {
                connection = transport.newConnection(channel, true, options().connection(),
                        options().tls() == null ? null : TlsEngines.server(options().tls()), traffic());
            } catch (IOException | RuntimeException e) {
                LOG.debug("loom server on {}: dropping a connection that failed to set up", localAddress, e);
                LoomTransport.closeQuietly(channel);
                continue;
            }
            accepted(connection);
        }
    }

    @Override
    protected void prepare(LoomConnection connection) throws TransportException {
        connection.handshake();
    }

    /**
     * Closes the listener and waits for the accept loop to end: while a thread is blocked in
     * {@code accept()} the JDK defers the socket's real close until that thread wakes, and until
     * then new connects would still be accepted (and reset) instead of refused.
     */
    @Override
    protected void stopAccepting() {
        LoomTransport.closeQuietly(listener);
        Thread thread = acceptor;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                if (!thread.join(ACCEPTOR_EXIT_WAIT)) {
                    LOG.warn("loom server on {}: accept loop still running {} after the listener closed",
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
