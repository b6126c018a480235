package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Connection churn: {@code concurrency} slots, each looping connect, one small exchange, close.
 * Each completed cycle is an operation whose latency runs from the connect to the echo. The client
 * closes first, so TIME_WAIT stays on the generator's side, where Linux reuses loopback ports.
 */
public final class ChurnLoad implements Load {

    private final InetSocketAddress target;
    private final int concurrency;
    private final int messageSize;
    private final LoadStats stats = new LoadStats();
    private volatile boolean stopping;
    private NioLoop loop;

    /**
     * Describes the load.
     *
     * @param target the echo server
     * @param concurrency cycles in progress at once
     * @param messageSize bytes exchanged per cycle
     */
    public ChurnLoad(InetSocketAddress target, int concurrency, int messageSize) {
        this.target = target;
        this.concurrency = concurrency;
        this.messageSize = messageSize;
    }

    @Override
    public void start() throws IOException {
        loop = new NioLoop("corosio-load-churn");
        loop.start();
        for (int i = 0; i < concurrency; i++) {
            loop.execute(this::newCycle);
        }
    }

    private void newCycle() {
        if (stopping) {
            return;
        }
        Cycle cycle = new Cycle();
        try {
            cycle.begin();
        } catch (IOException e) {
            cycle.fail(e);
        }
    }

    @Override
    public LoadStats stats() {
        return stats;
    }

    @Override
    public void close() {
        stopping = true;
        if (loop != null) {
            loop.close();
        }
    }

    private final class Cycle implements NioLoop.Ready {
        private final ByteBuffer buffer = ByteBuffer.allocate(messageSize);
        private SocketChannel channel;
        private long started;
        private int received;

        void begin() throws IOException {
            started = System.nanoTime();
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(target)) {
                send();
            } else {
                channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        }

        private void send() throws IOException {
            buffer.clear();
            channel.write(buffer); // a few bytes always fit a fresh socket's buffer
            buffer.clear();
            SelectionKey key = channel.keyFor(loop.selector());
            if (key == null) {
                channel.register(loop.selector(), SelectionKey.OP_READ, this);
            } else {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                send();
                return;
            }
            int n = channel.read(buffer);
            if (n < 0) {
                throw new EOFException("the server closed before echoing");
            }
            received += n;
            if (received >= messageSize) {
                key.cancel();
                channel.close();
                stats.completed(System.nanoTime() - started);
                newCycle();
            }
        }

        @Override
        public void failed(SelectionKey key, IOException e) {
            fail(e);
        }

        void fail(IOException e) {
            stats.error();
            if (channel != null) {
                Sockets.closeQuietly(channel);
            }
            newCycle();
        }
    }
}
