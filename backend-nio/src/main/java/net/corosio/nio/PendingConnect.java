package net.corosio.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.ErrorClassifier;
import net.corosio.spi.JdkSockets;

/**
 * A non-blocking connect: the caller's thread starts it and parks on a future, the loop finishes
 * it on {@code OP_CONNECT}. The connect timeout is the caller's own timed wait (no timer task);
 * on timeout or interrupt the caller has the loop close the channel and waits for that, so no
 * socket is left behind.
 */
// @corrects connect-timeout: a non-blocking JDK connect has no timeout; the caller's timed wait bounds
// it (CONNECT_TIMEOUT) and the loop closes the abandoned channel, so no socket is left behind.
final class PendingConnect implements KeyHandler {

    /** How long an abandoned connect waits for its loop to close the channel. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final CompletableFuture<SelectionKey> connected = new CompletableFuture<>();
    private SelectionKey key; // loop-confined

    /**
     * @param loop the loop the connection will live on
     * @param channel an open, non-blocking channel, configured and bound as wanted
     */
    PendingConnect(SelectorLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /**
     * Connects, parking the calling thread until the connection is established. On failure the
     * channel is closed.
     *
     * @param target the resolved address
     * @param timeout the connect timeout, or zero for the system's
     * @param label the address as the caller gave it, for messages
     * @return the channel's key on the loop, with no interest and this as its attachment
     * @throws TransportException {@code REFUSED}, {@code CONNECT_TIMEOUT}, {@code CANCELLED},
     *     {@code CLOSED} if the transport closed meanwhile, or another kind for other failures
     */
    SelectionKey connect(InetSocketAddress target, Duration timeout, InetSocketAddress label) throws TransportException {
        boolean immediate;
        try {
            immediate = channel.connect(target);
        } catch (IOException | RuntimeException e) {
            JdkSockets.closeQuietly(channel);
            throw failure(label, ErrorClassifier.classify(e, ErrorKind.CONNECT_TIMEOUT), e.getMessage(), e);
        }
        if (!loop.execute(() -> register(immediate))) {
            JdkSockets.closeQuietly(channel);
            throw failure(label, ErrorKind.CLOSED, "the transport is closed", null);
        }
        try {
            return timeout.isZero() ? connected.get() : connected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            abandon();
            Throwable cause = e.getCause();
            throw failure(label, ErrorClassifier.classify(cause, ErrorKind.CONNECT_TIMEOUT), cause.getMessage(), cause);
        } catch (TimeoutException e) {
            abandon();
            throw failure(label, ErrorKind.CONNECT_TIMEOUT, "not connected within " + timeout, null);
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
            throw failure(label, ErrorKind.CANCELLED, "the calling thread was interrupted", e);
        }
    }

    private void register(boolean immediate) {
        try {
            key = loop.register(channel, immediate ? 0 : SelectionKey.OP_CONNECT, this);
            if (immediate) {
                connected.complete(key);
            }
        } catch (IOException | RuntimeException e) {
            connected.completeExceptionally(e);
        }
    }

    @Override
    public void ready(int readyOps) {
        try {
            if (channel.finishConnect()) {
                key.interestOps(0);
                connected.complete(key);
            }
        } catch (IOException | RuntimeException e) {
            JdkSockets.closeQuietly(channel); // the JDK closes it too; a closed channel's key stops firing
            connected.completeExceptionally(e);
        }
    }

    @Override
    public void loopClosed() {
        JdkSockets.closeQuietly(channel);
        connected.completeExceptionally(new AsynchronousCloseException());
    }

    /**
     * Closes the channel on the loop, whatever the connect's state, and waits for it: closing a
     * registered channel only takes effect when its key is deregistered, which the loop does.
     * Keeps the caller's interrupt status.
     */
    void abandon() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        boolean queued = loop.execute(() -> {
            JdkSockets.closeQuietly(channel);
            loop.flushCancelledKeys();
            connected.completeExceptionally(new AsynchronousCloseException());
            closed.complete(null);
        });
        if (!queued) {
            JdkSockets.closeQuietly(channel); // the loop has stopped and deregistered everything
            return;
        }
        if (!NioTransport.awaitUninterruptibly(closed, ABANDON_WAIT)) {
            JdkSockets.closeQuietly(channel);
        }
    }

    private static TransportException failure(InetSocketAddress label, ErrorKind kind, String reason, Throwable cause) {
        return new TransportException(kind, "connect to " + label + " failed: " + reason, cause);
    }
}
