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
 * Request/response traffic against an echo server: {@code connections} connections, each with up to
 * {@code inFlight} fixed-size messages outstanding.
 *
 * <p><b>Closed loop</b> (rate 0): each echoed message is replaced at once by a new one; latency is
 * measured from the moment the message was queued. <b>Open loop</b> (rate &gt; 0): messages are
 * sent on a fixed schedule, round-robin over the connections, whatever the server's speed, and
 * latency is measured from the <em>intended</em> send time — so a server that stalls is charged for
 * every message it delayed (no coordinated omission).
 */
public final class EchoLoad implements Load {

    private final InetSocketAddress target;
    private final int connections;
    private final int inFlight;
    private final int messageSize;
    private final long ratePerSecond;
    private final SSLContext tls;
    private final LoadStats stats = new LoadStats();
    private final List<Conn> conns = new ArrayList<>();
    private NioLoop loop;

    /**
     * Describes the load.
     *
     * @param target the echo server
     * @param connections how many connections
     * @param inFlight messages outstanding per connection (closed loop); ignored in open loop
     * @param messageSize bytes per message
     * @param ratePerSecond messages per second in total for an open loop, or 0 for a closed loop
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     */
    public EchoLoad(InetSocketAddress target, int connections, int inFlight, int messageSize, long ratePerSecond,
            SSLContext tls) {
        this.target = target;
        this.connections = connections;
        this.inFlight = inFlight;
        this.messageSize = messageSize;
        this.ratePerSecond = ratePerSecond;
        this.tls = tls;
    }

    @Override
    public void start() throws IOException {
        loop = new NioLoop("corosio-load-echo");
        ByteBuffer payload = ByteBuffer.allocateDirect(64 * 1024);
        for (int i = 0; i < payload.capacity(); i++) {
            payload.put(i, (byte) ('a' + i % 26));
        }
        int queueCapacity = ratePerSecond > 0 ? 1 << 16 : inFlight;
        for (int i = 0; i < connections; i++) {
            Wire wire = Wire.connect(target, tls);
            Conn conn = new Conn(wire, payload, queueCapacity);
            conn.key = wire.register(loop.selector(), SelectionKey.OP_READ, conn);
            conns.add(conn);
        }
        long start = System.nanoTime();
        if (ratePerSecond > 0) {
            long interval = Math.max(1, 1_000_000_000L / ratePerSecond);
            long[] next = {start};
            int[] turn = {0};
            loop.pacer(now -> {
                while (next[0] <= now) {
                    Conn conn = conns.get(turn[0]++ % conns.size());
                    conn.queue(next[0]);
                    next[0] += interval;
                }
                for (Conn conn : conns) {
                    conn.flushQuietly();
                }
                return next[0];
            });
        } else {
            for (Conn conn : conns) {
                for (int m = 0; m < inFlight; m++) {
                    conn.queue(start);
                }
                conn.flushQuietly();
            }
        }
        loop.start();
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

    /** One connection: a ring of send times, bytes still to write, bytes of a partial echo. */
    private final class Conn implements NioLoop.Ready {
        private final Wire wire;
        private final ByteBuffer payload;
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private final long[] sendTimes;
        private SelectionKey key;
        private int head;
        private int tail;
        private long toSend;
        private long partial;

        Conn(Wire wire, ByteBuffer payload, int capacity) {
            this.wire = wire;
            this.payload = payload.duplicate();
            this.sendTimes = new long[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1)];
        }

        void queue(long sendTime) {
            if (tail - head == sendTimes.length) {
                stats.error(); // open loop far behind the schedule: this send is dropped, and counted
                return;
            }
            sendTimes[tail++ & (sendTimes.length - 1)] = sendTime;
            toSend += messageSize;
        }

        void flushQuietly() {
            try {
                flush();
            } catch (IOException e) {
                failed(key, e);
            }
        }

        private void flush() throws IOException {
            while (toSend > 0) {
                payload.clear().limit((int) Math.min(toSend, payload.capacity()));
                int n = wire.write(payload);
                if (n == 0) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                toSend -= n;
                stats.bytes(n);
            }
            if (wire.hasPendingOutput()) {
                wire.write(payload.clear().limit(0));
            }
            if (wire.hasPendingOutput()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            if (key.isReadable()) {
                int n = wire.read(in.clear());
                if (n < 0) {
                    throw new EOFException("the server closed the connection");
                }
                partial += n;
                long now = System.nanoTime();
                while (partial >= messageSize && head != tail) {
                    partial -= messageSize;
                    stats.completed(now - sendTimes[head++ & (sendTimes.length - 1)]);
                    if (ratePerSecond == 0) {
                        queue(now);
                    }
                }
            }
            flush();
        }

        @Override
        public void failed(SelectionKey key, IOException e) {
            stats.error();
            key.cancel();
            Sockets.closeQuietly(wire.channel());
        }
    }
}
