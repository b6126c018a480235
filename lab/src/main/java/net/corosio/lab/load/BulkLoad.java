package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import javax.net.ssl.SSLContext;

/**
 * Streaming: each connection writes as fast as the server takes it, in chunks. One-way against a
 * sink server counts the bytes written; two-way against an echo server counts the bytes that came
 * back.
 */
public final class BulkLoad implements Load {

    private final InetSocketAddress target;
    private final int connections;
    private final int chunkSize;
    private final boolean twoWay;
    private final SSLContext tls;
    private final LoadStats stats = new LoadStats();
    private NioLoop loop;

    /**
     * Describes the load.
     *
     * @param target the server (a sink for one-way, an echo server for two-way)
     * @param connections how many streams
     * @param chunkSize bytes per write
     * @param twoWay whether the server echoes and the echoed bytes are what counts
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     */
    public BulkLoad(InetSocketAddress target, int connections, int chunkSize, boolean twoWay, SSLContext tls) {
        this.target = target;
        this.connections = connections;
        this.chunkSize = chunkSize;
        this.twoWay = twoWay;
        this.tls = tls;
    }

    @Override
    public void start() throws IOException {
        loop = new NioLoop("corosio-load-bulk");
        for (int i = 0; i < connections; i++) {
            Wire wire = Wire.connect(target, tls);
            wire.register(loop.selector(), SelectionKey.OP_WRITE | (twoWay ? SelectionKey.OP_READ : 0), new Stream(wire));
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

    private final class Stream implements NioLoop.Ready {
        private final Wire wire;
        private final ByteBuffer out = ByteBuffer.allocateDirect(chunkSize);
        private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);

        Stream(Wire wire) {
            this.wire = wire;
            for (int i = 0; i < chunkSize; i++) {
                out.put(i, (byte) i);
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            if (key.isReadable()) {
                int n = wire.read(in.clear());
                if (n < 0) {
                    throw new EOFException("the server closed the stream");
                }
                stats.bytes(n);
            }
            if (key.isWritable()) {
                if (!out.hasRemaining()) {
                    out.clear();
                }
                int n = wire.write(out);
                if (!twoWay) {
                    stats.bytes(n);
                }
                if (!out.hasRemaining()) {
                    stats.completed(1);
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
}
