package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.BridgedConnection;
import net.corosio.spi.ChunkLease;
import net.corosio.spi.CoalescedFlush;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection on a Netty channel. {@link BridgedConnection} holds the API's semantics; this class
 * moves bytes the Netty way; {@link ChannelBridge} reports what the pipeline sees through {@link
 * #loopSide()}, on the event loop.
 *
 * <p>Writes: each slice is copied once into a pooled direct buffer and queued, with a {@link
 * WriteCompletion} that reports the plaintext bytes once they are out; a lease is queued as the
 * buffer it already is ({@link #submitOwned}), without a copy. One task on the loop hands
 * every queued write to the channel and flushes once; writes that arrive while it is pending ride
 * along. (Writing from the caller's thread would cost Netty a task per write and a flush — one
 * socket write — per message: a publisher writing to many connections paid both.) Every later
 * step that must come "after the queued writes" (FIN, {@code close_notify}, close) hangs off the
 * last write's future, since Netty completes write futures in order.
 */
final class NettyConnection extends BridgedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);

    private final Channel channel;
    private final SslHandler ssl;
    private final Runnable applyReadInterest = this::applyReadInterest;
    private final Runnable abortNow = this::abortNow;
    private final ChannelFutureListener reportFailure = this::reportFailure;

    /** Completes once every write, {@code close_notify} and FIN queued so far is out (or failed). */
    private volatile ChannelFuture lastWrite;

    /** Writes not yet handed to the channel, handed over by one task per loop turn. */
    private final CoalescedFlush<WriteCompletion> unflushed = new CoalescedFlush<>(this::writeUnflushed);

    NettyConnection(Channel channel, SslHandler ssl, boolean serverSide, ConnectionOptions options, TrafficCounter traffic) {
        super(NettyTransportProvider.NAME, serverSide,
                (InetSocketAddress) channel.localAddress(), (InetSocketAddress) channel.remoteAddress(),
                options, ssl != null, new LoopTimer(channel.eventLoop()), traffic);
        this.channel = channel;
        this.ssl = ssl;
    }

    /**
     * Returns the event loop the connection's channel is registered with.
     *
     * @return the loop
     */
    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    // ================================================================== from the pipeline (event loop)

    // @corrects tls-eof-without-close-notify: Netty reports a TCP end as an input shutdown whether or
    // not the TLS peer sent close_notify; without it the reader gets TLS_TRUNCATED after every byte.
    /** A TCP end-of-stream: clean for plain TCP; for TLS clean only after the peer's close_notify. */
    void onInputShutdown() {
        if (ssl == null || peerSentCloseNotify()) {
            loopSide().ended(); // for TLS, the close_notify has usually ended the stream already: harmless
        } else {
            loopSide().endedWithFailure(new TransportException(ErrorKind.TLS_TRUNCATED,
                    "the peer ended the TCP stream without a TLS close_notify"));
        }
    }

    /**
     * Returns whether the peer has sent {@code close_notify}. SslHandler's close event cannot say
     * so alone: once this side has sent its own {@code close_notify} (a TLS 1.3 half-close), Netty's
     * OpenSSL engine reports every later unwrap as CLOSED, so SslHandler announces the peer's close
     * with the first record of its reply. The engine's inbound state is what tells.
     */
    // @corrects tls-close-notify-detection: after a TLS 1.3 half-close Netty's OpenSSL engine reports
    // every later unwrap as CLOSED; the engine's inbound state tells whether the peer really closed.
    boolean peerSentCloseNotify() {
        return ssl.engine() instanceof ReferenceCountedOpenSslEngine engine
                ? engine.isInboundDone()
                : ssl.sslCloseFuture().isSuccess();
    }

    void onHandshake() {
        if (ssl.engine() instanceof ReferenceCountedOpenSslEngine engine
                && engine.getSession() instanceof ExtendedSSLSession session) {
            // An OpenSSL session reads these from the native SSL on first use and remembers them;
            // the SSL is freed when the connection closes, after which they would read as empty.
            session.getRequestedServerNames();
            session.getPeerSupportedSignatureAlgorithms();
        }
        loopSide().handshakeSucceeded();
    }

    /** A write finished: its bytes left the queue, sent or discarded. */
    void written(int bytes, Throwable cause) {
        if (bytes > 0) {
            loopSide().flushed(bytes);
        }
        if (cause != null) {
            reportFailure(cause);
        }
    }

    private void reportFailure(ChannelFuture future) {
        if (!future.isSuccess()) {
            reportFailure(future.cause());
        }
    }

    private void reportFailure(Throwable cause) {
        // A write discarded because the channel closed is a consequence: the cause (a reset, a
        // close, a timeout) was reported when it happened, or closed() reports it.
        if (!(cause instanceof ClosedChannelException)) {
            loopSide().failed(cause);
        }
    }

    // ================================================================== hooks

    @Override
    protected void updateReadInterest() {
        onLoop(applyReadInterest);
    }

    private void applyReadInterest() {
        channel.config().setAutoRead(!loopSide().isReadPaused());
    }

    @Override
    protected void submitWrite(ByteBuffer slice) {
        int n = slice.remaining();
        ByteBuf buffer = channel.alloc().directBuffer(n, n);
        buffer.writeBytes(slice);
        queue(new WriteCompletion(channel, this, buffer, null));
    }

    /**
     * Queues the lease's own buffer: a Netty buffer a channel received goes back out as it is; any
     * other backend's bytes are wrapped, not copied. The lease is given back when the write is done.
     */
    @Override
    protected boolean submitOwned(ChunkLease lease) {
        ByteBuf buffer = lease.chunk() instanceof ByteBufChunk received
                ? received.forWrite()
                : Unpooled.wrappedBuffer(lease.chunk().bytes());
        queue(new WriteCompletion(channel, this, buffer, lease));
        return true;
    }

    private void queue(WriteCompletion write) {
        lastWrite = write;
        unflushed.add(write);
    }

    /** One hand-over task at a time: writes queued while it is pending ride along with it. */
    @Override
    protected void submitFlush() {
        Runnable task = unflushed.request();
        if (task == null) {
            return;
        }
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is gone, and the channel with it: the writes can only be discarded.
            WriteCompletion next;
            while ((next = unflushed.poll()) != null) {
                next.take().release();
                next.tryFailure(new ClosedChannelException());
            }
        }
    }

    /** On the loop: hands every queued write to the channel, then flushes them all at once. */
    private void writeUnflushed() {
        WriteCompletion next;
        boolean any = false;
        while ((next = unflushed.poll()) != null) {
            channel.write(next.take(), next); // a closed channel fails the promise and releases the bytes
            any = true;
        }
        if (any) {
            channel.flush();
        }
    }

    @Override
    protected void submitShutdownOutput() {
        if (ssl != null) {
            // SslHandler wraps what is pending, then close_notify; the TCP FIN follows once it is out.
            ChannelPromise closeNotify = channel.newPromise();
            lastWrite = closeNotify;
            closeNotify.addListener(f -> shutdownTcpOutput());
            onLoop(() -> {
                writeUnflushed(); // whatever was written before this call goes before the close_notify
                if (channel.isActive()) {
                    ssl.closeOutbound(closeNotify);
                } else {
                    closeNotify.trySuccess(); // gone already (SslHandler too): nothing to send
                }
            });
        } else {
            after(lastWrite, this::shutdownTcpOutput);
        }
    }

    private void shutdownTcpOutput() {
        if (channel.isActive()) {
            ((DuplexChannel) channel).shutdownOutput().addListener(reportFailure);
        }
    }

    @Override
    protected void submitClose() {
        after(lastWrite, () -> channel.close());
    }

    @Override
    protected void submitAbort() {
        onLoop(abortNow);
    }

    /**
     * Resets: SO_LINGER 0, then a close that starts below the {@link SslHandler}, which would
     * otherwise send {@code close_notify} first and wait for it to be flushed.
     */
    private void abortNow() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            LOG.debug("{}: cannot set SO_LINGER 0 before aborting; closing anyway", this, e);
        }
        ChannelHandlerContext first = channel.pipeline().firstContext();
        if (first != null) {
            first.close();
        } else {
            channel.close();
        }
    }

    @Override
    protected SSLEngine sslEngine() {
        return ssl == null ? null : ssl.engine();
    }

    /** Runs {@code action} on the loop once {@code future} (if any) has completed, successfully or not. */
    private void after(ChannelFuture future, Runnable action) {
        if (future == null) {
            onLoop(action);
        } else {
            future.addListener(f -> action.run());
        }
    }

    /** Runs {@code action} on the loop: now if called there, else as a task. */
    private void onLoop(Runnable action) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            action.run();
        } else {
            execute(loop, action);
        }
    }

    private static void execute(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down, and closes every channel it has: nothing left to do.
        }
    }
}
