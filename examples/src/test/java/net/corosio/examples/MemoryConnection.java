package net.corosio.examples;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import okio.Buffer;

/**
 * A {@link Connection} in memory, for fuzzing a handler without a network: reads deliver a fixed
 * input in pieces of at most {@code chunk} bytes, then end-of-stream; writes collect into a
 * buffer. It never blocks, so a handler that would wait for more input sees the end instead.
 */
public final class MemoryConnection implements Connection {

    private static final InetSocketAddress LOCAL = InetSocketAddress.createUnresolved("memory", 1);

    private final byte[] input;
    private final int chunk;
    private final Buffer output = new Buffer();
    private final long outputLimit;
    private int position;
    private boolean outputShut;
    private volatile boolean closed;

    /**
     * Creates the connection.
     *
     * @param input what the peer sends
     * @param chunk the most bytes one read delivers, at least 1
     * @param outputLimit the most bytes the handler may write; more fails the write (a handler
     *     that answers without bound is a bug the fuzzer should report)
     */
    public MemoryConnection(byte[] input, int chunk, long outputLimit) {
        this.input = input;
        this.chunk = Math.max(1, chunk);
        this.outputLimit = outputLimit;
    }

    /**
     * Returns what the handler wrote.
     *
     * @return the output so far
     */
    public Buffer output() {
        return output;
    }

    @Override
    public int read(ByteBuffer dst) throws TransportException {
        if (closed) {
            throw new TransportException(ErrorKind.CLOSED, "read after close");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position == input.length) {
            return -1;
        }
        int n = Math.min(Math.min(chunk, dst.remaining()), input.length - position);
        dst.put(input, position, n);
        position += n;
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws TransportException {
        if (closed) {
            throw new TransportException(ErrorKind.CLOSED, "write after close");
        }
        if (outputShut) {
            throw new TransportException(ErrorKind.OUTPUT_SHUTDOWN, "write after shutdownOutput");
        }
        if (output.size() + src.remaining() > outputLimit) {
            throw new IllegalStateException("the handler wrote more than " + outputLimit + " bytes");
        }
        try {
            output.write(src);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a Buffer cannot fail", e);
        }
    }

    @Override
    public void write(ByteBuffer... srcs) throws TransportException {
        for (ByteBuffer src : srcs) {
            write(src);
        }
    }

    @Override
    public void shutdownOutput() throws TransportException {
        if (closed) {
            throw new TransportException(ErrorKind.CLOSED, "shutdownOutput after close");
        }
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return LOCAL;
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }

    @Override
    public Optional<String> applicationProtocol() {
        return Optional.empty();
    }
}
