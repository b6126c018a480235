package net.corosio.lab.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The Jetty baseline: an echo (or sink) server written directly on jetty-io's {@code
 * SelectorManager} and {@code AbstractConnection}, filling into pooled buffers and writing them
 * back with a callback, the way Jetty's own connections work.
 */
final class JettyNativeServer implements NativeServer {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("jetty-native-scheduler", true);
    private final ByteBufferPool pool = new ArrayByteBufferPool();
    private final SelectorManager selectors;
    private final ServerSocketChannel listener;
    private final Closeable acceptor;

    JettyNativeServer(InetSocketAddress address, ServerApp app, int ioThreads) throws Exception {
        threads.setName("jetty-native");
        threads.start();
        scheduler.start();
        // 0: the same default as the Jetty backend (Jetty's own would be capped by this small pool).
        int selectorCount = ioThreads > 0 ? ioThreads : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        selectors = new SelectorManager(threads, scheduler, selectorCount) {
            @Override
            protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
                return new SocketChannelEndPoint((SocketChannel) channel, selector, key, getScheduler());
            }

            @Override
            public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
                return app == ServerApp.SINK ? new Sink(endPoint, getExecutor()) : new Echo(endPoint, getExecutor());
            }

            @Override
            protected void accepted(SelectableChannel channel) throws IOException {
                // The acceptor hands over each accepted channel; registering it is ours to do.
                SocketChannel socket = (SocketChannel) channel;
                socket.configureBlocking(false);
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                accept(socket);
            }
        };
        selectors.start();
        listener = ServerSocketChannel.open();
        listener.bind(address, 1024);
        listener.configureBlocking(false);
        acceptor = selectors.acceptor(listener);
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            acceptor.close();
            listener.close();
            selectors.stop();
            scheduler.stop();
            threads.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the Jetty baseline", e);
        }
    }

    /**
     * Fills a pooled buffer and writes it back, in an {@link IteratingCallback} so that a write that
     * completes at once goes straight on to the next fill; only when {@code fill} returns 0 does it
     * release the buffer and ask the selector for fill interest. Both the fill callback and this
     * loop declare themselves non-blocking, so Jetty runs them on the selector thread instead of
     * dispatching each message to its thread pool — the way a Jetty engineer would write echo.
     */
    private final class Echo extends AbstractConnection.NonBlocking {
        private final IteratingCallback loop = new IteratingCallback() {
            private RetainableByteBuffer buffer;

            @Override
            protected Action process() throws IOException {
                if (buffer == null) {
                    buffer = pool.acquire(BUFFER_SIZE, true);
                }
                ByteBuffer bytes = buffer.getByteBuffer();
                BufferUtil.clear(bytes);
                int n = getEndPoint().fill(bytes);
                if (n > 0) {
                    getEndPoint().write(this, bytes);
                    return Action.SCHEDULED;
                }
                release();
                if (n == 0) {
                    fillInterested();
                    return Action.IDLE;
                }
                Echo.this.close();
                return Action.SUCCEEDED;
            }

            @Override
            protected void onCompleteFailure(Throwable failure) {
                release();
                Echo.this.close();
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }

            private void release() {
                if (buffer != null) {
                    buffer.release();
                    buffer = null;
                }
            }
        };

        Echo(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        public void onOpen() {
            super.onOpen();
            fillInterested();
        }

        @Override
        public void onFillable() {
            loop.iterate();
        }
    }

    /** Fills a pooled buffer and discards it, on the selector thread (non-blocking, like {@link Echo}). */
    private final class Sink extends AbstractConnection.NonBlocking {
        Sink(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        public void onOpen() {
            super.onOpen();
            fillInterested();
        }

        @Override
        public void onFillable() {
            RetainableByteBuffer buffer = pool.acquire(BUFFER_SIZE, true);
            try {
                ByteBuffer bytes = buffer.getByteBuffer();
                while (true) {
                    BufferUtil.clear(bytes);
                    int n = getEndPoint().fill(bytes);
                    if (n == 0) {
                        fillInterested();
                        return;
                    }
                    if (n < 0) {
                        close();
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            } finally {
                buffer.release();
            }
        }
    }
}
