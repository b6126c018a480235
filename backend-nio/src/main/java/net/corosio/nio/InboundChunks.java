package net.corosio.nio;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.spi.InboundQueue;

/**
 * Turns the bytes of one read (in a loop's shared read buffer) into a chunk the connection's
 * {@link InboundQueue} can hold until the reader takes them, with one copy.
 *
 * <p>A short read, the usual case for request/response traffic, is copied into an array of exactly
 * its size: a queued 10-byte message never pins a large buffer, and an idle connection holds none.
 * A read that filled the whole read size comes from a streaming peer, which would otherwise
 * allocate (and zero) as many bytes as it carries; it is copied into a recycled array of that size,
 * which the reader gives back once it has copied the bytes out. The pool keeps a bounded number of
 * arrays and leaves the rest to the garbage collector, so a burst does not pin memory for good.
 * Thread-safe: loops take arrays, readers give them back.
 */
final class InboundChunks {

    /**
     * The size of a full read, and of the recycled arrays: 64 KiB, as Netty's and Jetty's largest
     * reads (32 KiB gave the lab's bulk scenario 7.7 Gbit/s, 64 KiB 12.1).
     */
    static final int FULL = 64 * 1024;

    /** The most arrays kept for reuse (2 MiB). */
    private static final int MAX_POOLED = 32;

    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

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
        byte[] array = free.poll();
        if (array == null) {
            array = new byte[FULL];
        } else {
            pooled.decrementAndGet();
        }
        bytes.get(array);
        return new Recycled(array);
    }

    private void recycle(byte[] array) {
        if (pooled.incrementAndGet() <= MAX_POOLED) {
            free.add(array);
        } else {
            pooled.decrementAndGet();
        }
    }

    /** A full chunk whose array goes back to the pool once released. */
    private final class Recycled implements InboundQueue.Chunk {

        private final byte[] array;
        private int position;

        Recycled(byte[] array) {
            this.array = array;
        }

        @Override
        public int readInto(ByteBuffer dst) {
            int n = Math.min(dst.remaining(), array.length - position);
            dst.put(array, position, n);
            position += n;
            return n;
        }

        @Override
        public int remaining() {
            return array.length - position;
        }

        @Override
        public void release() {
            recycle(array);
        }
    }
}
