package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Idle connections: opens {@code connections} connections, makes one one-byte exchange on each (so
 * the server has accepted it, finished any TLS handshake, and its handler is running), then leaves
 * them open and silent while the lab measures the server's memory.
 */
public final class IdleLoad implements Load {

    private static final long ECHO_TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress target;
    private final int connections;
    private final SSLContext tls;
    private final LoadStats stats = new LoadStats();
    private final List<Wire> wires = new ArrayList<>();

    /**
     * Describes the load.
     *
     * @param target the echo server
     * @param connections how many connections to hold open
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     */
    public IdleLoad(InetSocketAddress target, int connections, SSLContext tls) {
        this.target = target;
        this.connections = connections;
        this.tls = tls;
    }

    @Override
    public void start() throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                long started = System.nanoTime();
                Wire wire = Wire.connect(target, tls);
                wires.add(wire);
                ByteBuffer one = ByteBuffer.allocate(1);
                while (one.hasRemaining() || wire.hasPendingOutput()) {
                    wire.write(one);
                }
                SelectionKey key = wire.register(selector, SelectionKey.OP_READ, null);
                ByteBuffer echo = ByteBuffer.allocate(1);
                long deadline = System.currentTimeMillis() + ECHO_TIMEOUT_MILLIS;
                while (wire.read(echo) == 0) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new IOException("idle connection " + i + " got no echo within " + ECHO_TIMEOUT_MILLIS + " ms");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
                if (echo.position() == 0) {
                    throw new IOException("the server closed idle connection " + i + " before echoing");
                }
                key.cancel();
                stats.completed(System.nanoTime() - started);
            }
        }
    }

    @Override
    public LoadStats stats() {
        return stats;
    }

    /**
     * Returns how many connections are open.
     *
     * @return the count
     */
    public int open() {
        return wires.size();
    }

    @Override
    public void close() {
        wires.forEach(wire -> Sockets.closeQuietly(wire.channel()));
    }
}
