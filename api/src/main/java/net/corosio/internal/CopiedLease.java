package net.corosio.internal;

import java.nio.ByteBuffer;
import net.corosio.BufferLease;

/**
 * The lease of {@link net.corosio.Connection#receive()}'s default implementation, for connections
 * that cannot lend: a buffer of its own, filled by a copy, which the garbage collector reclaims.
 * Closing it only ends it.
 */
public final class CopiedLease implements BufferLease {

    /** The size of the buffer a copying receive reads into. */
    public static final int SIZE = 16 * 1024;

    private final ByteBuffer bytes;
    private final String connection;
    private volatile boolean closed;

    /**
     * Lends a copy.
     *
     * @param bytes the bytes, from position to limit
     * @param connection names the connection, for messages
     */
    public CopiedLease(ByteBuffer bytes, String connection) {
        this.bytes = bytes.asReadOnlyBuffer();
        this.connection = connection;
    }

    @Override
    public ByteBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("a buffer lent by " + connection + " was used after it was given back");
        }
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "BufferLease[" + connection + (closed ? ", given back]" : ", " + bytes.remaining() + " bytes]");
    }
}
