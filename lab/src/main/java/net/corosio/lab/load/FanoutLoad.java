package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Fan-out: one publisher and {@code subscribers} subscribers on a fanout server. Each message
 * carries a sequence number and its send time, so every delivery's latency is measured on arrival.
 * The publisher keeps at most {@code window} messages ahead of the slowest subscriber.
 */
public final class FanoutLoad implements Load {

    private final InetSocketAddress target;
    private final int subscriberCount;
    private final int messageSize;
    private final int window;
    private final SSLContext tls;
    private final LoadStats stats = new LoadStats();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private NioLoop loop;
    private Publisher publisher;

    /**
     * Describes the load.
     *
     * @param target the fanout server
     * @param subscribers how many subscribers
     * @param messageSize bytes per message, at least 16
     * @param window messages the publisher may be ahead of the slowest subscriber
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     */
    public FanoutLoad(InetSocketAddress target, int subscribers, int messageSize, int window, SSLContext tls) {
        if (messageSize < 16) {
            throw new IllegalArgumentException("fanout messages carry 16 bytes of header: messageSize < 16: " + messageSize);
        }
        this.target = target;
        this.subscriberCount = subscribers;
        this.messageSize = messageSize;
        this.window = window;
        this.tls = tls;
    }

    @Override
    public void start() throws IOException {
        loop = new NioLoop("corosio-load-fanout");
        for (int i = 0; i < subscriberCount; i++) {
            Wire wire = Wire.connect(target, tls);
            announce(wire, 'S');
            awaitAcknowledgement(wire);
            Subscriber subscriber = new Subscriber(wire);
            wire.register(loop.selector(), SelectionKey.OP_READ, subscriber);
            subscribers.add(subscriber);
        }
        Wire wire = Wire.connect(target, tls);
        announce(wire, 'P');
        publisher = new Publisher(wire);
        publisher.key = wire.register(loop.selector(), SelectionKey.OP_WRITE, publisher);
        loop.start();
    }

    /** Sends the role byte; one byte always fits a fresh connection's buffers. */
    private static void announce(Wire wire, char role) throws IOException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] {(byte) role});
        while (one.hasRemaining() || wire.hasPendingOutput()) {
            wire.write(one);
        }
    }

    /** Waits for the server's one-byte acknowledgement that the subscriber is registered. */
    private static void awaitAcknowledgement(Wire wire) throws IOException {
        ByteBuffer ack = ByteBuffer.allocate(1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            SelectionKey key = wire.register(selector, SelectionKey.OP_READ, null);
            while (ack.hasRemaining()) {
                int n = wire.read(ack);
                if (n < 0) {
                    throw new EOFException("the server closed a subscriber before acknowledging it");
                }
                if (n == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new IOException("the server did not acknowledge a subscriber within 10 s");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
            key.cancel();
            selector.selectNow(); // completes the deregistration before the loop's selector takes the channel
        }
    }

    private long slowestSequence() {
        long min = Long.MAX_VALUE;
        for (Subscriber subscriber : subscribers) {
            min = Math.min(min, subscriber.lastSequence);
        }
        return min;
    }

    @Override
    public LoadStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    private final class Publisher implements NioLoop.Ready {
        private final Wire wire;
        private final ByteBuffer message = ByteBuffer.allocateDirect(messageSize);
        private SelectionKey key;
        private long sequence;

        Publisher(Wire wire) {
            this.wire = wire;
            message.limit(0);
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            publish();
        }

        void publish() throws IOException {
            while (true) {
                if (!message.hasRemaining()) {
                    if (sequence - slowestSequence() >= window) {
                        key.interestOps(0); // a subscriber's delivery re-arms the publisher
                        return;
                    }
                    message.clear();
                    message.putLong(0, ++sequence).putLong(8, System.nanoTime());
                }
                wire.write(message);
                if (message.hasRemaining() || wire.hasPendingOutput()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
            }
        }

        void wake() {
            if (key.isValid() && key.interestOps() == 0) {
                try {
                    publish();
                } catch (IOException e) {
                    failed(key, e);
                }
            }
        }

        @Override
        public void failed(SelectionKey key, IOException e) {
            stats.error();
            key.cancel();
            Sockets.closeQuietly(wire.channel());
        }
    }

    private final class Subscriber implements NioLoop.Ready {
        private final Wire wire;
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private final ByteBuffer header = ByteBuffer.allocate(16);
        private int offsetInMessage;
        private volatile long lastSequence;

        Subscriber(Wire wire) {
            this.wire = wire;
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            int n = wire.read(in.clear());
            if (n < 0) {
                throw new EOFException("the server closed a subscriber");
            }
            in.flip();
            long now = System.nanoTime();
            while (in.hasRemaining()) {
                int take = Math.min(in.remaining(), messageSize - offsetInMessage);
                for (int i = 0; i < take; i++) {
                    byte b = in.get();
                    if (offsetInMessage + i < 16) {
                        header.put(offsetInMessage + i, b);
                    }
                }
                offsetInMessage += take;
                if (offsetInMessage == messageSize) {
                    offsetInMessage = 0;
                    lastSequence = header.getLong(0);
                    stats.completed(now - header.getLong(8));
                }
            }
            publisher.wake();
        }

        @Override
        public void failed(SelectionKey key, IOException e) {
            stats.error();
            key.cancel();
            Sockets.closeQuietly(wire.channel());
        }
    }
}
