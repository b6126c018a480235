package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import net.corosio.tck.faults.StreamCheck;
import net.corosio.tck.faults.StreamPattern;

/**
 * Slow consumers of an echo server: {@code count} connections with small kernel buffers each
 * write {@code bytesEach} bytes of the checksummed stream and, first, read nothing — so the server
 * fills every buffer it has for them and must stop reading ({@link #stall}); then they read
 * everything back and check it ({@link #drain}).
 */
public final class SlowConsumers implements AutoCloseable {

    private static final int SOCKET_BUFFER = 8 * 1024;
    private static final int CHUNK = 16 * 1024;

    /** One consumer. */
    private static final class Consumer {
        long sent;
        final StreamCheck check = new StreamCheck();
        boolean connected;
    }

    private final Selector selector;
    private final long bytesEach;
    private long finishedSent;
    private long finishedReceived;
    private long finishedDelivered;
    private long finishedDamaged;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private int connected;
    private int failed;

    private SlowConsumers(Selector selector, long bytesEach) {
        this.selector = selector;
        this.bytesEach = bytesEach;
    }

    /**
     * Connects the consumers.
     *
     * @param target the echo server
     * @param count how many
     * @param sources source addresses to spread them over
     * @param bytesEach what each writes (and must get back)
     * @param deadline how long connecting may take
     * @return the consumers
     * @throws IOException if the selector cannot be opened
     */
    public static SlowConsumers connect(InetSocketAddress target, int count, int sources, long bytesEach,
            Duration deadline) throws IOException {
        SlowConsumers consumers = new SlowConsumers(Selector.open(), bytesEach);
        long end = System.nanoTime() + deadline.toNanos();
        for (int i = 0; i < count; i++) {
            try {
                SelectionKey key = Swarm.connect(consumers.selector, target, i, sources, SOCKET_BUFFER, new Consumer());
                if ((key.interestOps() & SelectionKey.OP_READ) != 0) {
                    consumers.connected(key);
                }
            } catch (IOException e) {
                consumers.failed++;
            }
        }
        while (consumers.connected + consumers.failed < count && System.nanoTime() < end) {
            consumers.selector.select(100);
            for (SelectionKey key : consumers.selector.selectedKeys()) {
                try {
                    ((SocketChannel) key.channel()).finishConnect();
                    consumers.connected(key);
                } catch (IOException e) {
                    consumers.drop(key);
                }
            }
            consumers.selector.selectedKeys().clear();
        }
        return consumers;
    }

    private void connected(SelectionKey key) {
        ((Consumer) key.attachment()).connected = true;
        key.interestOps(0);
        connected++;
    }

    private void drop(SelectionKey key) {
        if (key.attachment() instanceof Consumer consumer && key.isValid()) {
            finished(consumer);
        }
        key.cancel();
        Sockets.closeQuietly((SocketChannel) key.channel());
        failed++;
    }

    /**
     * Writes without reading until nothing more is taken for {@code quiet} (every buffer between
     * the consumers and the server is full) or {@code limit} passes.
     *
     * @param quiet how long no write may make progress
     * @param limit the longest the stall may take
     * @return the bytes written so far, over all consumers
     * @throws IOException if the selector fails
     */
    public long stall(Duration quiet, Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < end && System.nanoTime() - lastProgress < quiet.toNanos()) {
            selector.select(Math.max(1, quiet.toMillis() / 4));
            for (SelectionKey key : selector.selectedKeys()) {
                if (write(key) > 0) {
                    lastProgress = System.nanoTime();
                }
            }
            selector.selectedKeys().clear();
        }
        return written();
    }

    /**
     * Reads (and checks) everything back and finishes writing, closing each consumer once it has
     * its whole echo.
     *
     * @param deadline the longest it may take
     * @return the figures: {@code completed}, {@code failed}, {@code written}, {@code received},
     *     {@code delivered}, {@code damaged} (lost, duplicated or corrupted bytes)
     * @throws IOException if the selector fails
     */
    public Map<String, Object> drain(Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }
        Map<String, Object> figures = new TreeMap<>();
        long completed = 0;
        while (selector.keys().stream().anyMatch(SelectionKey::isValid) && System.nanoTime() < end) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Consumer consumer = (Consumer) key.attachment();
                try {
                    if (key.isWritable()) {
                        write(key);
                    }
                    if (key.isReadable() && read(key) < 0) {
                        throw new IOException("the server closed after " + consumer.check.received() + " bytes");
                    }
                } catch (IOException e) {
                    drop(key);
                }
                if (key.isValid() && consumer.check.received() >= bytesEach) {
                    finished(consumer);
                    key.cancel();
                    Sockets.closeQuietly((SocketChannel) key.channel());
                    completed++;
                }
            }
            selector.selectedKeys().clear();
        }
        long unfinished = 0;
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                finished((Consumer) key.attachment());
                unfinished++;
            }
        }
        figures.put("completed", completed);
        figures.put("failed", failed + unfinished);
        figures.put("written", finishedSent);
        figures.put("received", finishedReceived);
        figures.put("delivered", finishedDelivered);
        figures.put("damaged", finishedDamaged);
        return figures;
    }

    /** Adds a consumer's figures to the totals, before its key leaves the selector. */
    private void finished(Consumer consumer) {
        finishedSent += consumer.sent;
        finishedReceived += consumer.check.received();
        finishedDelivered += consumer.check.delivered();
        finishedDamaged += consumer.check.lost() + consumer.check.duplicated() + consumer.check.corrupted();
    }

    private int write(SelectionKey key) {
        Consumer consumer = (Consumer) key.attachment();
        if (consumer.sent >= bytesEach) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            return 0;
        }
        chunk.clear().limit((int) Math.min(CHUNK, bytesEach - consumer.sent));
        StreamPattern.fill(chunk, consumer.sent);
        try {
            int n = ((SocketChannel) key.channel()).write(chunk.flip());
            consumer.sent += n;
            return n;
        } catch (IOException e) {
            drop(key);
            return 0;
        }
    }

    private int read(SelectionKey key) throws IOException {
        Consumer consumer = (Consumer) key.attachment();
        int n = ((SocketChannel) key.channel()).read(chunk.clear());
        if (n > 0) {
            consumer.check.accept(chunk.flip());
        }
        return n;
    }

    private long written() {
        return selector.keys().stream().mapToLong(k -> ((Consumer) k.attachment()).sent).sum();
    }

    /**
     * Returns how many consumers connected.
     *
     * @return the count
     */
    public int connected() {
        return connected;
    }

    @Override
    public void close() {
        Swarm.closeAll(selector);
    }
}
