package net.corosio.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.corosio.ConnectionHandler;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractServer;
import net.corosio.spi.LoopCarrier;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netty server: a listening channel whose accepted children each become a {@link
 * NettyConnection}, handed to {@link AbstractServer} as soon as they are active.
 */
final class NettyServer extends AbstractServer<NettyConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);

    /** How long stopping waits for the listening socket to be closed on its event loop. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private volatile Channel listener;
    private volatile InetSocketAddress localAddress;

    NettyServer(ServerOptions options, ConnectionHandler handler) {
        super(NettyTransportProvider.NAME, options, handler);
    }

    /**
     * Records the bound listening channel.
     *
     * @param channel the listener
     * @param untrack what runs once the server has shut down
     */
    void bound(Channel channel, Runnable untrack) {
        this.listener = channel;
        this.localAddress = (InetSocketAddress) channel.localAddress();
        onShutdown(untrack);
    }

    /**
     * Hands over a connection that has just become active, on its event loop: the handler executor
     * is asked to start the handler from the loop (a virtual thread starts at once; an executor that
     * blocks in {@code execute} would stall the loop).
     *
     * @param connection the accepted connection
     */
    void accept(NettyConnection connection) {
        accepted(connection);
    }

    /**
     * Returns the counter of the server's application bytes.
     *
     * @return the counter
     */
    TrafficCounter trafficCounter() {
        return traffic();
    }

    /** Starts the handler on the carrier of the loop the connection's channel is registered with. */
    @Override
    protected void startOnEventLoop(NettyConnection connection, Runnable handler) {
        LoopCarrier carrier = CarriedEventLoops.carrierOf(connection.eventLoop());
        if (carrier == null) {
            throw new IllegalStateException(connection + " is not on a carried event loop");
        }
        carrier.startHandler(connection, handler);
    }

    @Override
    protected void prepare(NettyConnection connection) throws TransportException {
        connection.awaitHandshake();
    }

    /**
     * Closes the listening channel and waits until it is closed on its loop, so that a connect made
     * after {@code shutdown} returns is refused.
     */
    @Override
    protected void stopAccepting() {
        Channel channel = listener;
        if (channel == null) {
            return;
        }
        EventLoop loop = channel.eventLoop();
        Promise<Void> released = loop.newPromise();
        // Closed is not yet gone: nio's selector releases a registered socket only on its next
        // select, io_uring closes through the ring. A task scheduled from the loop runs only after
        // the loop's next I/O turn, when the socket has been released in every mode.
        channel.close().addListener(f -> loop.schedule(() -> released.trySuccess(null), 0, TimeUnit.NANOSECONDS));
        if (!loop.inEventLoop() && !NettyFutures.awaitUninterruptibly(released, CLOSE_WAIT)) {
            LOG.warn("netty server on {}: listener still open {} after closing it", localAddress, CLOSE_WAIT);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }
}
