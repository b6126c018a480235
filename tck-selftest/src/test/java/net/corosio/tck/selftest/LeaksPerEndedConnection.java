package net.corosio.tck.selftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.TransportMetrics;

/**
 * Broken: each connection that ends keeps something until the transport closes (1.8) — a socket, a
 * virtual thread, its place in the transport's count, or the buffers the application lent it.
 * {@code Transport.close()} gives everything back, so the checks made only after it pass.
 */
final class LeaksPerEndedConnection extends ForwardingTransport {

    /** What each ended connection keeps. */
    enum Leak {
        SOCKET,
        VIRTUAL_THREAD,
        COUNT,
        BUFFERS
    }

    private final Leak leak;
    private final Queue<AutoCloseable> kept = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong ended = new AtomicLong();

    LeaksPerEndedConnection(Transport delegate, Leak leak) {
        super(delegate);
        this.leak = leak;
    }

    @Override
    protected Connection connection(Connection connection) {
        return new Keeping(connection);
    }

    @Override
    protected void handle(ConnectionHandler handler, Connection connection) throws Exception {
        try {
            handler.handle(connection);
        } finally {
            ((Keeping) connection).ended();
        }
    }

    @Override
    public TransportMetrics metrics() {
        TransportMetrics m = delegate.metrics();
        return leak == Leak.COUNT ? new TransportMetrics(m.openConnections() + ended.get(), m.openServers()) : m;
    }

    @Override
    public void close() {
        closed.countDown();
        ended.set(0);
        for (AutoCloseable k; (k = kept.poll()) != null; ) {
            try {
                k.close();
            } catch (Exception e) {
                // released as well as it can be
            }
        }
        delegate.close();
    }

    private void keep() {
        switch (leak) {
            case SOCKET -> {
                try {
                    kept.add(SocketChannel.open());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case VIRTUAL_THREAD -> {
                Thread thread = Thread.ofVirtual().start(() -> {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        // the transport closed
                    }
                });
                kept.add(thread::interrupt);
            }
            case COUNT -> ended.incrementAndGet();
            case BUFFERS -> {
                // kept with the connection, below
            }
        }
    }

    private final class Keeping extends ForwardingConnection {
        private final AtomicBoolean over = new AtomicBoolean();
        private final Queue<ByteBuffer> lent = new ConcurrentLinkedQueue<>();

        Keeping(Connection delegate) {
            super(delegate);
            if (leak == Leak.BUFFERS) {
                kept.add(lent::clear);
            }
        }

        void ended() {
            if (over.compareAndSet(false, true)) {
                keep();
            }
        }

        private void lend(ByteBuffer... buffers) {
            if (leak == Leak.BUFFERS) {
                lent.addAll(List.of(buffers));
            }
        }

        @Override
        public int read(ByteBuffer dst) throws TransportException {
            lend(dst);
            return delegate.read(dst);
        }

        @Override
        public void write(ByteBuffer src) throws TransportException {
            lend(src);
            delegate.write(src);
        }

        @Override
        public void write(ByteBuffer... srcs) throws TransportException {
            lend(srcs);
            delegate.write(srcs);
        }

        @Override
        public void close() {
            delegate.close();
            ended();
        }

        @Override
        public void abort() {
            delegate.abort();
            ended();
        }
    }
}
