package net.corosio.jetty;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import net.corosio.spi.LoopCarrier;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link SocketChannelEndPoint} with the two corrections the API needs on the read side.
 *
 * <ul>
 *   <li><b>A reset is not an end-of-stream.</b> Jetty's {@code fill} catches the {@code
 *       IOException} the JDK throws for a reset ("Connection reset"), shuts the input and returns
 *       -1: a crashed peer would look like one that finished. Here {@code fill} lets the exception
 *       through, so it surfaces as {@code RESET}.
 *   <li><b>A FIN does not move Jetty's end point state.</b> Jetty records end-of-stream by shutting
 *       the end point's input, and an end point whose input and output are both shut closes
 *       itself. The API keeps the socket open until the application closes it (after a half-close
 *       in both directions the reader still has to drain what arrived), so end-of-stream is
 *       recorded here instead and {@code fill} keeps returning -1.
 * </ul>
 *
 * <p>It also remembers the first I/O failure of {@code fill} and {@code flush}, so that the
 * connection can report the failure even when Jetty closes the end point before the exception
 * reaches the caller (TLS does that), and it can abort: close with {@code SO_LINGER} 0.
 */
final class SocketEndPoint extends SocketChannelEndPoint {

    private static final Logger LOG = LoggerFactory.getLogger(SocketEndPoint.class);

    private final ManagedSelector selector;
    private volatile boolean inputEnded;
    private volatile IOException failure;

    SocketEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
        this.selector = selector;
    }

    /**
     * Returns the carrier of the selector this socket is registered with, when that selector
     * carries its connections' handlers.
     *
     * @return the carrier, or {@code null} for a selector of its own thread
     */
    LoopCarrier carrier() {
        return selector instanceof CarriedSelector carried ? carried.carrier() : null;
    }

    // @corrects reset-on-read: Jetty's fill() catches the reset and returns -1, so a crashed peer
    // looks like one that finished; this fill lets the IOException through and it surfaces as RESET.
    // @corrects end-of-stream-closes: Jetty shuts the end point's input at a FIN and closes an end
    // point shut both ways; end-of-stream is recorded here and the socket stays open until the application closes it.
    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (inputEnded) {
            return -1;
        }
        int position = BufferUtil.flipToFill(buffer);
        int filled;
        try {
            filled = getChannel().read(buffer);
        } catch (IOException e) {
            remember(e);
            throw e;
        } finally {
            BufferUtil.flipToFlush(buffer, position);
        }
        if (filled > 0) {
            notIdle();
        } else if (filled < 0) {
            inputEnded = true;
        }
        return filled;
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        try {
            return super.flush(buffers);
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    private void remember(IOException e) {
        // A closed channel means the socket was closed here, not that the network failed.
        if (failure == null && !Failures.isClosedChannel(e)) {
            failure = e;
        }
    }

    /**
     * Returns the first network failure seen by {@code fill} or {@code flush}.
     *
     * @return the failure, or {@code null}
     */
    IOException failure() {
        return failure;
    }

    /**
     * Returns whether {@code fill} has seen the peer's end-of-stream.
     *
     * @return whether the input has ended
     */
    boolean isInputEnded() {
        return inputEnded;
    }

    /** Closes the socket with a reset: {@code SO_LINGER} 0, then close. Idempotent. */
    void abort() {
        SocketChannel channel = getChannel();
        if (channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (ClosedChannelException e) {
                // Closed meanwhile: nothing to reset.
            } catch (IOException | RuntimeException e) {
                LOG.debug("jetty transport: cannot set SO_LINGER 0 on {}", channel, e);
            }
        }
        close();
    }
}
