package net.corosio.nio;

import java.nio.ByteBuffer;
import net.corosio.spi.HeapBufferPool;
import net.corosio.spi.InboundQueue;

/**
 * Turns the bytes of one read (in a loop's shared read buffer) into a chunk the connection's
 * {@link InboundQueue} can hold until the reader takes them, with one copy.
 *
 * <p>A short read, the usual case for request/response traffic, is copied into an array of exactly
 * its size: a queued 10-byte message never pins a large buffer, and an idle connection holds none.
 * A read that filled the whole read size comes from a streaming peer, which would otherwise
 * allocate (and zero) as many bytes as it carries; it is copied into a recycled buffer of that
 * size ({@link HeapBufferPool#LARGE}), which goes back to the pool once the reader has copied the
 * bytes out or given its lease back. Thread-safe: loops take buffers, readers give them back.
 */
final class InboundChunks {

    /**
     * The size of a full read, and of the recycled buffers: 64 KiB, as Netty's and Jetty's largest
     * reads (32 KiB gave the lab's bulk scenario 7.7 Gbit/s, 64 KiB 12.1).
     */
    static final int FULL = HeapBufferPool.LARGE.bufferSize();

    /**
     * Copies the remaining bytes of {@code bytes} into a new chunk.
     *
     * @param bytes the bytes read, in read mode; its position advances to its limit
     * @return the chunk
     */
    InboundQueue.Chunk copyOf(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (n != FULL) {
            byte[] exact = new byte[n];
            bytes.get(exact);
            return InboundQueue.Chunk.of(ByteBuffer.wrap(exact));
        }
        ByteBuffer recycled = HeapBufferPool.LARGE.take();
        recycled.put(bytes).flip();
        return HeapBufferPool.LARGE.chunk(recycled);
    }
}
