package net.corosio.tck.selftest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Transport;
import net.corosio.TransportException;

/**
 * Broken: on a TLS connection, writes return once their bytes are queued, and close() gives the
 * queue 100 ms to drain before it drops what is left and sends {@code close_notify} (8.17). A
 * peer that keeps up gets everything; a slow reader gets a clean close after a truncated stream.
 * Plaintext connections are left alone.
 */
final class DropsQueuedTlsOutputOnClose extends ForwardingTransport {

    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    DropsQueuedTlsOutputOnClose(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Connection connection(Connection connection) {
        return connection.tlsSession().isPresent() ? new Queueing(connection) : connection;
    }

    @Override
    protected void handle(ConnectionHandler handler, Connection connection) throws Exception {
        try {
            handler.handle(connection);
        } finally {
            if (connection instanceof Queueing queueing) {
                queueing.close(); // the server closes after this; the queue is dropped first
            }
        }
    }

    private static final class Queueing extends ForwardingConnection {
        private final BlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
        private final AtomicInteger unsent = new AtomicInteger();
        private final Thread sender;

        Queueing(Connection delegate) {
            super(delegate);
            sender = Thread.ofVirtual().name("broken-tls-sender").start(this::send);
        }

        private void send() {
            try {
                while (true) {
                    ByteBuffer next = queue.take();
                    try {
                        delegate.write(next);
                    } finally {
                        unsent.decrementAndGet();
                    }
                }
            } catch (InterruptedException | TransportException e) {
                // closed
            }
        }

        @Override
        public void write(ByteBuffer src) throws TransportException {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
            unsent.incrementAndGet();
            queue.add(copy);
        }

        @Override
        public void write(ByteBuffer... srcs) throws TransportException {
            for (ByteBuffer src : srcs) {
                write(src);
            }
        }

        @Override
        public void close() {
            long deadline = System.nanoTime() + FLUSH_NANOS;
            while (unsent.get() > 0 && System.nanoTime() < deadline) {
                pause();
            }
            // The bug: what a slow reader has not taken yet is dropped. The write under way ends
            // first, so the peer gets whole records and then a clean close_notify.
            unsent.addAndGet(-queue.drainTo(new ArrayList<>()));
            while (unsent.get() > 0) {
                pause();
            }
            sender.interrupt();
            delegate.close();
        }

        private static void pause() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void abort() {
            queue.clear();
            sender.interrupt();
            delegate.abort();
        }
    }
}
