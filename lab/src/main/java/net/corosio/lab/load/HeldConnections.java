package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Many connections opened and held: each makes a one-byte exchange first (so the server has
 * accepted it and its handler runs), then stays silent until {@link #close()}. Connects are issued
 * {@value #IN_FLIGHT} at a time, from several source addresses.
 */
public final class HeldConnections implements AutoCloseable {

    private static final int IN_FLIGHT = 256;

    private final Selector selector;
    private int held;
    private int failed;

    private HeldConnections(Selector selector) {
        this.selector = selector;
    }

    /**
     * Opens {@code count} connections and makes each one's exchange.
     *
     * @param target the echo server
     * @param count how many
     * @param sources source addresses to spread them over
     * @param deadline how long opening them all may take
     * @return the held connections (fewer than asked if some failed: see {@link #failed()})
     * @throws IOException if the selector cannot be opened
     */
    public static HeldConnections open(InetSocketAddress target, int count, int sources, Duration deadline)
            throws IOException {
        HeldConnections connections = new HeldConnections(Selector.open());
        connections.fill(target, count, sources, System.nanoTime() + deadline.toNanos());
        return connections;
    }

    private void fill(InetSocketAddress target, int count, int sources, long end) throws IOException {
        int started = 0;
        int pending = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        while ((started < count || pending > 0) && System.nanoTime() < end) {
            while (started < count && pending < IN_FLIGHT) {
                try {
                    SelectionKey key = Swarm.connect(selector, target, started, sources, 0, null);
                    if ((key.interestOps() & SelectionKey.OP_READ) != 0) {
                        send(key);
                    }
                    pending++;
                } catch (IOException e) {
                    failed++;
                }
                started++;
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        send(key);
                    } else if (key.isReadable()) {
                        if (channel.read(one.clear()) <= 0) {
                            throw new IOException("closed before the echo");
                        }
                        key.interestOps(0); // held, silent
                        held++;
                        pending--;
                    }
                } catch (IOException e) {
                    key.cancel();
                    Sockets.closeQuietly(channel);
                    failed++;
                    pending--;
                }
            }
            selector.selectedKeys().clear();
        }
        failed += pending + (count - started);
    }

    private static void send(SelectionKey key) throws IOException {
        ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {'i'}));
        key.interestOps(SelectionKey.OP_READ);
    }

    /**
     * Returns how many connections are held.
     *
     * @return the count
     */
    public int held() {
        return held;
    }

    /**
     * Returns how many could not be opened or made their exchange.
     *
     * @return the count
     */
    public int failed() {
        return failed;
    }

    /** Closes every connection. */
    @Override
    public void close() {
        Swarm.closeAll(selector);
    }
}
