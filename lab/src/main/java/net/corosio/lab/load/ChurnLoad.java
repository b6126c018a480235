package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * Connection churn: {@code concurrency} slots, each looping connect, (TLS handshake,) one small
 * exchange, close. Each completed cycle is an operation whose latency runs from the connect to the
 * echo — for TLS, a full handshake included (the client never resumes a session). The client closes first (after its {@code close_notify} for TLS), so TIME_WAIT
 * stays on the generator's side, where Linux reuses loopback ports.
 */
public final class ChurnLoad implements Load {

    private final InetSocketAddress target;
    private final int concurrency;
    private final int messageSize;
    private final SSLContext tls;
    private final LoadStats stats = new LoadStats();
    private volatile boolean stopping;
    private NioLoop loop;

    /**
     * Describes the load.
     *
     * @param target the echo server
     * @param concurrency cycles in progress at once
     * @param messageSize bytes exchanged per cycle
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     */
    public ChurnLoad(InetSocketAddress target, int concurrency, int messageSize, SSLContext tls) {
        this.target = target;
        this.concurrency = concurrency;
        this.messageSize = messageSize;
        this.tls = tls;
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
        private TlsHandshake handshake;
        private Wire wire;
        private long started;
        private int received;

        void begin() throws IOException {
            started = System.nanoTime();
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(target)) {
                connected();
            } else {
                channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        }

        private void connected() throws IOException {
            if (tls == null) {
                wire = new PlainWire(channel);
                send();
            } else {
                handshake = new TlsHandshake(channel, tls); // a full handshake every cycle
                shake();
            }
        }

        private void shake() throws IOException {
            int waitFor = handshake.advance();
            if (waitFor != 0) {
                interest(waitFor);
                return;
            }
            wire = handshake.wire();
            handshake = null;
            send();
        }

        private void send() throws IOException {
            buffer.clear();
            wire.write(buffer); // a few bytes always fit a fresh socket's buffer (as one record for TLS)
            buffer.clear();
            interest(wire.hasPendingOutput() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void interest(int ops) throws IOException {
            SelectionKey key = channel.keyFor(loop.selector());
            if (key == null) {
                channel.register(loop.selector(), ops, this);
            } else {
                key.interestOps(ops);
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                connected();
                return;
            }
            if (handshake != null) {
                shake();
                return;
            }
            if (key.isWritable()) {
                wire.write(ByteBuffer.allocate(0)); // flushes what the wire holds
                key.interestOps(wire.hasPendingOutput() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
            int n;
            while ((n = wire.read(buffer)) > 0) {
                received += n;
            }
            if (received >= messageSize) {
                key.cancel();
                if (wire instanceof TlsWire tlsWire) {
                    tlsWire.closeNotifyQuietly();
                }
                channel.close();
                stats.completed(System.nanoTime() - started);
                newCycle();
            } else if (n < 0) {
                throw new EOFException("the server closed before echoing");
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
