package net.corosio.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import net.corosio.ConnectionHandler;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractServer;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.LoopCarrier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An nio server: its listening channel is registered with the transport's acceptor loop, which
 * accepts on {@code OP_ACCEPT} and hands each socket to an I/O loop (round-robin) and to {@link
 * AbstractServer}, which runs the handler.
 */
final class NioServer extends AbstractServer<NioConnection> implements KeyHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NioServer.class);

    /** The most connections accepted per readiness event, so a burst cannot hold the acceptor. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;

    /**
     * How long accepting pauses after an unexpected failure (out of descriptors, say): the
     * listener stays readable, and retrying at once would spin the acceptor.
     */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(50);

    /** How long stopping waits for the acceptor loop to close the listener. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final NioTransport transport;
    private final SelectorLoop acceptor;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private SelectionKey key; // acceptor-confined

    NioServer(NioTransport transport, SelectorLoop acceptor, ServerSocketChannel listener, ServerOptions options,
            ConnectionHandler handler) throws IOException {
        super(NioTransportProvider.NAME, options, handler);
        this.transport = transport;
        this.acceptor = acceptor;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    /** Registers the listener with the acceptor loop. The kernel queues connects meanwhile. */
    @Override
    protected void startAccepting() {
        if (!acceptor.execute(this::register)) {
            JdkSockets.closeQuietly(listener);
        }
    }

    private void register() {
        try {
            key = acceptor.register(listener, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            LOG.debug("nio server on {}: not registered; it was closed first", localAddress, e);
        }
    }

    @Override
    public void ready(int readyOps) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.warn("nio server on {}: accept failed; pausing for {}", localAddress, ACCEPT_BACKOFF, e);
                    pauseAccepting();
                }
                return;
            }
            if (channel == null) {
                return;
            }
            NioConnection connection = transport.adopt(channel, options(), traffic());
            if (connection != null) {
                accepted(connection);
            }
        }
    }

    private void pauseAccepting() {
        key.interestOps(0);
        try {
            transport.timer().schedule(ACCEPT_BACKOFF.toNanos(), () -> acceptor.execute(() -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            }));
        } catch (RejectedExecutionException e) {
            // The transport is closing: accepting is over anyway.
        }
    }

    @Override
    public void loopClosed() {
        JdkSockets.closeQuietly(listener);
    }

    /** Starts the handler on the carrier of the loop the connection was put on. */
    @Override
    protected void startOnEventLoop(NioConnection connection, Runnable handler) {
        LoopCarrier carrier = connection.loop().carrier();
        if (carrier == null) {
            throw new IllegalStateException(connection + " is not on a carried loop");
        }
        carrier.startHandler(connection, handler);
    }

    @Override
    protected void prepare(NioConnection connection) throws TransportException {
        connection.awaitHandshake();
    }

    /**
     * Closes the listener on the acceptor loop and waits until its descriptor is really closed:
     * the JDK defers closing a registered channel until its key is deregistered, and until then
     * the kernel would go on accepting (and later resetting) new connects instead of refusing them.
     */
    // @corrects deferred-listener-close: the JDK defers closing a registered channel until its key is
    // deregistered, and the kernel accepts (then resets) connects meanwhile; the close is awaited here.
    @Override
    protected void stopAccepting() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Runnable close = () -> {
            JdkSockets.closeQuietly(listener);
            acceptor.flushCancelledKeys();
            closed.complete(null);
        };
        if (acceptor.inLoop()) {
            close.run();
            return;
        }
        if (!acceptor.execute(close)) {
            JdkSockets.closeQuietly(listener); // the loop has stopped and deregistered everything
            return;
        }
        if (!NioTransport.awaitUninterruptibly(closed, STOP_WAIT)) {
            LOG.warn("nio server on {}: the acceptor did not close the listener within {}", localAddress, STOP_WAIT);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }
}
