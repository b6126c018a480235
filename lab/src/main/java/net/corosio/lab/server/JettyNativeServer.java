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
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * The Jetty baseline: echo, sink and fanout servers written directly on jetty-io's {@code
 * SelectorManager} and {@code AbstractConnection}, filling into pooled buffers and writing them
 * with callbacks, the way Jetty's own connections work.
 */
final class JettyNativeServer implements NativeServer {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("jetty-native-scheduler", true);
    private final ByteBufferPool pool = new ArrayByteBufferPool();
    private final SelectorManager selectors;
    private final ServerSocketChannel listener;
    private final Closeable acceptor;
    private final Set<FanoutMember> subscribers = ConcurrentHashMap.newKeySet();

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
                return switch (app) {
                    case ECHO -> new Echo(endPoint, getExecutor());
                    case SINK -> new Sink(endPoint, getExecutor());
                    case FANOUT -> new FanoutMember(endPoint, getExecutor());
                };
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

    /**
     * Fills pooled buffers until the end point has nothing more, on the selector thread
     * (non-blocking, like {@link Echo}), handing each fill to {@link #filled}.
     */
    private abstract class Filling extends AbstractConnection.NonBlocking {
        Filling(EndPoint endPoint, Executor executor) {
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
                while (true) {
                    ByteBuffer bytes = buffer.getByteBuffer();
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
                    buffer = filled(buffer, bytes);
                }
            } catch (IOException e) {
                close();
            } finally {
                buffer.release();
            }
        }

        /**
         * Does what the connection does with the bytes of one fill.
         *
         * @param buffer the pooled buffer, holding one reference of this connection's
         * @param bytes its bytes, from position to limit
         * @return the buffer to fill next: {@code buffer}, or a fresh one after handing it on
         */
        abstract RetainableByteBuffer filled(RetainableByteBuffer buffer, ByteBuffer bytes);
    }

    /** Fills and discards. */
    private final class Sink extends Filling {
        Sink(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        RetainableByteBuffer filled(RetainableByteBuffer buffer, ByteBuffer bytes) {
            return buffer;
        }
    }

    /** Bytes queued for a subscriber: a view of its own over a pooled buffer it holds a reference to. */
    private record Queued(RetainableByteBuffer owner, ByteBuffer bytes) {
        void release() {
            if (owner != null) {
                owner.release();
            }
        }
    }

    /**
     * Fan-out: a connection's first byte says its role. A subscriber ({@code 'S'}) is registered
     * and acknowledged with {@code 'A'}, and what it sends is dropped. A publisher ({@code 'P'})
     * fills pooled buffers and hands each to every subscriber without a copy — a reference and a
     * view of its own per subscriber — whose queue a non-blocking {@link IteratingCallback} drains
     * with gathering writes (a Jetty end point takes one write at a time).
     */
    private final class FanoutMember extends Filling {
        private static final int MAX_GATHER = 16;

        private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
        private byte role;
        private final IteratingCallback flusher = new IteratingCallback() {
            private final List<Queued> inFlight = new ArrayList<>();

            @Override
            protected Action process() {
                releaseInFlight();
                Queued next;
                while (inFlight.size() < MAX_GATHER && (next = queue.poll()) != null) {
                    inFlight.add(next);
                }
                if (inFlight.isEmpty()) {
                    return Action.IDLE;
                }
                ByteBuffer[] batch = new ByteBuffer[inFlight.size()];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = inFlight.get(i).bytes();
                }
                getEndPoint().write(this, batch);
                return Action.SCHEDULED;
            }

            @Override
            protected void onCompleteFailure(Throwable failure) {
                releaseInFlight();
                FanoutMember.this.close();
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }

            private void releaseInFlight() {
                inFlight.forEach(Queued::release);
                inFlight.clear();
            }
        };

        FanoutMember(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        RetainableByteBuffer filled(RetainableByteBuffer buffer, ByteBuffer bytes) {
            if (role == 0) {
                role = bytes.get();
                if (role == 'S') {
                    subscribers.add(this);
                    send(new Queued(null, ByteBuffer.wrap(new byte[] {'A'})));
                }
            }
            if (role != 'P' || !bytes.hasRemaining() || subscribers.isEmpty()) {
                return buffer;
            }
            for (FanoutMember subscriber : subscribers) {
                buffer.retain();
                subscriber.send(new Queued(buffer, bytes.slice()));
            }
            // The subscribers hold the filled buffer now: fill the next one.
            buffer.release();
            return pool.acquire(BUFFER_SIZE, true);
        }

        private void send(Queued bytes) {
            queue.add(bytes);
            flusher.iterate();
        }

        @Override
        public void onClose(Throwable cause) {
            subscribers.remove(this);
            Queued left;
            while ((left = queue.poll()) != null) {
                left.release();
            }
            super.onClose(cause);
        }
    }
}
