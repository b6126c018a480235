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
import org.HdrHistogram.Histogram;

/**
 * A TLS handshake flood: {@code count} clients connect to a TLS server and never send a
 * ClientHello. The server must drop every one once its handshake timeout passes; a client the
 * server has not dropped by the deadline is counted as hung.
 */
public final class HandshakeFlood {

    private final InetSocketAddress target;
    private final int count;
    private final int sources;
    private final Duration deadline;

    /**
     * Describes the flood.
     *
     * @param target the TLS server
     * @param count clients
     * @param sources source addresses to spread them over
     * @param deadline how long the server has to drop them all, from the flood's start
     */
    public HandshakeFlood(InetSocketAddress target, int count, int sources, Duration deadline) {
        this.target = target;
        this.count = count;
        this.sources = sources;
        this.deadline = deadline;
    }

    /**
     * Runs the flood and closes every socket it opened.
     *
     * @return {@code dropped}, {@code hung}, {@code unopened}, the time from connect to drop in
     *     milliseconds ({@code p50DropMillis}, {@code maxDropMillis}), and {@code seconds}
     * @throws IOException if the selector cannot be opened
     */
    public Map<String, Object> run() throws IOException {
        Map<String, Object> figures = new TreeMap<>();
        Histogram drops = new Histogram(3);
        Selector selector = Selector.open();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        long unopened = 0;
        long dropped = 0;
        int open = 0;
        try {
            for (int i = 0; i < count; i++) {
                try {
                    Swarm.connect(selector, target, i, sources, 0, new long[] {System.nanoTime()});
                    open++;
                } catch (IOException e) {
                    unopened++;
                }
            }
            ByteBuffer sink = ByteBuffer.allocate(1024);
            while (open > 0 && System.nanoTime() < end) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    boolean gone;
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ); // and send nothing
                            continue;
                        }
                        gone = channel.read(sink.clear()) < 0;
                    } catch (IOException e) {
                        gone = true; // reset or refused: dropped either way
                    }
                    if (gone) {
                        drops.recordValue(Math.max(1, (System.nanoTime() - ((long[]) key.attachment())[0]) / 1_000_000));
                        dropped++;
                        open--;
                        key.cancel();
                        Sockets.closeQuietly(channel);
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            Swarm.closeAll(selector);
        }
        figures.put("dropped", dropped);
        figures.put("hung", (long) open);
        figures.put("unopened", unopened);
        figures.put("p50DropMillis", drops.getValueAtPercentile(50));
        figures.put("maxDropMillis", drops.getMaxValue());
        figures.put("seconds", (System.nanoTime() - start) / 1e9);
        return figures;
    }
}
