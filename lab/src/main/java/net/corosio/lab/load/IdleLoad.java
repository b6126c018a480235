package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle connections: opens {@code connections} connections, makes one one-byte exchange on each (so
 * the server has accepted it and its handler is running), then leaves them open and silent while
 * the lab measures the server's memory.
 */
public final class IdleLoad implements Load {

    private final InetSocketAddress target;
    private final int connections;
    private final LoadStats stats = new LoadStats();
    private final List<SocketChannel> channels = new ArrayList<>();

    /**
     * Describes the load.
     *
     * @param target the echo server
     * @param connections how many connections to hold open
     */
    public IdleLoad(InetSocketAddress target, int connections) {
        this.target = target;
        this.connections = connections;
    }

    @Override
    public void start() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < connections; i++) {
            long started = System.nanoTime();
            SocketChannel channel = SocketChannel.open();
            channels.add(channel);
            channel.socket().connect(target, 10_000);
            channel.socket().setSoTimeout(10_000);
            channel.write(one.clear());
            if (channel.socket().getInputStream().read() < 0) {
                throw new IOException("the server closed idle connection " + i + " before echoing");
            }
            stats.completed(System.nanoTime() - started);
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
        return channels.size();
    }

    @Override
    public void close() {
        channels.forEach(Sockets::closeQuietly);
    }
}
