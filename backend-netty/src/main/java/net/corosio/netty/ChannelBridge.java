package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import net.corosio.ConnectionOptions;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline: creates the {@link NettyConnection} when the channel becomes
 * active (its addresses are known then) and turns pipeline events into the connection's
 * notifications. Runs on the channel's event loop.
 *
 * <p>How Netty's events map: bytes ({@code channelRead}) are queued as they are, unreleased; a TCP
 * end-of-stream arrives as {@link ChannelInputShutdownEvent} (the channel allows half-closure), a
 * TLS {@code close_notify} as a successful {@link SslCloseCompletionEvent}; the handshake outcome as
 * {@link SslHandshakeCompletionEvent}; failures as {@code exceptionCaught}; the socket's release as
 * {@code channelInactive}.
 */
final class ChannelBridge extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelBridge.class);

    private final NettyTransport transport;
    private final SslHandler ssl;
    private final boolean serverSide;
    private final ConnectionOptions options;
    private final TrafficCounter traffic;
    private final Consumer<NettyConnection> onActive;
    private NettyConnection connection;
    private boolean closeNotifyPending;

    /**
     * Creates the bridge of one channel.
     *
     * @param transport the transport, which tracks the connection
     * @param ssl the channel's TLS handler, or {@code null} for plain TCP
     * @param serverSide whether the channel was accepted
     * @param options the connection's options
     * @param traffic where the connection counts its bytes
     * @param onActive receives the connection once it exists, on the event loop
     */
    ChannelBridge(NettyTransport transport, SslHandler ssl, boolean serverSide, ConnectionOptions options,
            TrafficCounter traffic, Consumer<NettyConnection> onActive) {
        this.transport = transport;
        this.ssl = ssl;
        this.serverSide = serverSide;
        this.options = options;
        this.traffic = traffic;
        this.onActive = onActive;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = transport.newConnection(ctx.channel(), ssl, serverSide, options, traffic);
        onActive.accept(connection);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection != null && msg instanceof ByteBuf buffer && buffer.isReadable()) {
            // touch: names this connection in a leak report, should the buffer ever leak (free when unsampled)
            connection.loopSide().received(new ByteBufChunk(buffer.touch(connection)));
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (connection == null) {
            return;
        }
        if (event instanceof ChannelInputShutdownEvent) {
            endAfterPendingReads(ctx, connection::onInputShutdown);
        } else if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                connection.onHandshake();
            } else {
                // @corrects tls-alert-before-reset: SslHandler announces a failed handshake before it
                // flushes the alert; the failure is reported in a later task so the alert goes out first.
                // SslHandler announces a failure before it flushes the alert that tells the peer
                // why; reporting it now would abort (reset) the socket first, and the peer would see
                // a reset instead of the alert. The exception that follows the flush usually
                // reports it already; this task only catches failures without one.
                NettyConnection failing = connection;
                Throwable cause = handshake.cause();
                ctx.executor().execute(() -> failing.loopSide().failed(cause));
            }
        } else if (event instanceof SslCloseCompletionEvent close && close.isSuccess()) {
            if (connection.peerSentCloseNotify()) {
                endAfterPendingReads(ctx, connection.loopSide()::ended); // a clean TLS end
            } else {
                closeNotifyPending = true; // see peerSentCloseNotify: checked again after each read
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closeNotifyPending && connection.peerSentCloseNotify()) {
            closeNotifyPending = false;
            endAfterPendingReads(ctx, connection.loopSide()::ended);
        }
    }

    /**
     * Reports an end of the stream once the reads already under way have been delivered. With the
     * OpenSSL engine, SslHandler can announce the peer's {@code close_notify} before it hands over
     * the data that preceded it (decoded in a re-entrant unwrap, whose reads it defers to a task);
     * an end reported at once would overtake that data. A task queued now runs after those.
     */
    // @corrects tls-end-overtakes-data: with the OpenSSL engine SslHandler can announce the peer's
    // close_notify before the data that preceded it; the end is queued behind those reads.
    private static void endAfterPendingReads(ChannelHandlerContext ctx, Runnable end) {
        ctx.executor().execute(end);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection != null) {
            connection.loopSide().failed(cause);
        } else {
            LOG.debug("netty: {} failed before it became active", ctx.channel(), cause);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.loopSide().closed();
        }
    }

    /**
     * The pipeline is being destroyed: the channel is closed whether or not {@code channelInactive}
     * reached this handler (Netty skips it for a channel it never saw active), so the connection is
     * released here too (a no-op when it already was).
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.loopSide().closed();
        }
    }
}
