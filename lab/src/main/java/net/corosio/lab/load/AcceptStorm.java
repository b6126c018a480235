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
 * An accept storm: {@code count} connects issued in one burst (non-blocking, from several source
 * addresses), each then sending one byte and waiting for its echo. Every connect must end one way
 * or another — served (the echo came back), refused, or reset — within the deadline; one that has
 * not is counted as hung.
 */
public final class AcceptStorm {

    private final InetSocketAddress target;
    private final int count;
    private final int sources;
    private final Duration deadline;

    /**
     * Describes the storm.
     *
     * @param target the echo server
     * @param count connects in the burst
     * @param sources source addresses to spread them over
     * @param deadline how long every connect has, from the burst's start
     */
    public AcceptStorm(InetSocketAddress target, int count, int sources, Duration deadline) {
        this.target = target;
        this.count = count;
        this.sources = sources;
        this.deadline = deadline;
    }

    /**
     * Runs the storm and closes every socket it opened.
     *
     * @return the outcomes by name ({@code served}, {@code refused}, {@code reset}, {@code error},
     *     {@code hung}, {@code unopened}) and the connect-to-echo times in microseconds
     *     ({@code p50Micros}, {@code p99Micros}, {@code maxMicros}), and {@code seconds}
     * @throws IOException if the selector cannot be opened
     */
    public Map<String, Object> run() throws IOException {
        Map<String, Long> outcomes = new TreeMap<>();
        for (String outcome : new String[] {"served", "refused", "reset", "error", "hung", "unopened"}) {
            outcomes.put(outcome, 0L);
        }
        Histogram times = new Histogram(3);
        Selector selector = Selector.open();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        int open = 0;
        try {
            for (int i = 0; i < count; i++) {
                try {
                    SelectionKey key = Swarm.connect(selector, target, i, sources, 0, new long[] {System.nanoTime()});
                    if ((key.interestOps() & SelectionKey.OP_READ) != 0) {
                        send(key);
                    }
                    open++;
                } catch (IOException e) {
                    outcomes.merge("unopened", 1L, Long::sum);
                }
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            while (open > 0 && System.nanoTime() < end) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    String outcome = null;
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            send(key);
                        } else if (key.isReadable()) {
                            int n = channel.read(one.clear());
                            if (n > 0) {
                                outcome = "served";
                                times.recordValue(Math.max(1, (System.nanoTime() - ((long[]) key.attachment())[0]) / 1000));
                            } else if (n < 0) {
                                outcome = "reset"; // closed without the echo: the server turned it away
                            }
                        }
                    } catch (IOException e) {
                        outcome = Swarm.classify(e);
                    }
                    if (outcome != null) {
                        outcomes.merge(outcome, 1L, Long::sum);
                        key.cancel();
                        Sockets.closeQuietly(channel);
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
            outcomes.put("hung", (long) open);
        } finally {
            Swarm.closeAll(selector);
        }
        Map<String, Object> figures = new TreeMap<>(outcomes);
        figures.put("seconds", (System.nanoTime() - start) / 1e9);
        figures.put("p50Micros", times.getValueAtPercentile(50));
        figures.put("p99Micros", times.getValueAtPercentile(99));
        figures.put("maxMicros", times.getMaxValue());
        return figures;
    }

    private static void send(SelectionKey key) throws IOException {
        ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {'s'}));
        key.interestOps(SelectionKey.OP_READ);
    }
}
