package net.corosio.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Heap buffers of one size, recycled: what a backend that reads into buffers of its own (rather
 * than a library's pool) lends to {@link AbstractConnection#receive()} callers. A buffer comes out
 * ({@link #take}), is filled and wrapped as a chunk ({@link #chunk}), and goes back when the chunk
 * is released, so streaming allocates nothing. The pool keeps at most a bounded number of buffers
 * and leaves the rest to the garbage collector: a burst does not pin memory for good. Buffers are
 * never zeroed: the view a lease shows covers exactly its own bytes.
 *
 * <p>Shared by every connection of the JVM ({@link #SMALL}, {@link #LARGE}); thread-safe.
 */
public final class HeapBufferPool {

    /** 4 KiB buffers: for reads the caller knows are small (a request, a message). */
    public static final HeapBufferPool SMALL = new HeapBufferPool(4 * 1024, 256);

    /** 16 KiB buffers: for a copying read of unknown size, the size {@code read} callers often use. */
    public static final HeapBufferPool MEDIUM = new HeapBufferPool(16 * 1024, 64);

    /** 64 KiB buffers: for streaming, and for TLS records (which may be up to 16 KiB of plaintext plus slack). */
    public static final HeapBufferPool LARGE = new HeapBufferPool(64 * 1024, 32);

    private final int bufferSize;
    private final ArrayBlockingQueue<ByteBuffer> free;

    /**
     * Creates an empty pool.
     *
     * @param bufferSize the size of every buffer
     * @param maxPooled how many idle buffers to keep
     */
    public HeapBufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    /**
     * Returns the pool whose buffers hold {@code bytes}, the smallest that does, or {@link #LARGE}.
     *
     * @param bytes how many bytes the caller wants to read
     * @return the pool
     */
    public static HeapBufferPool forSize(int bytes) {
        return bytes <= SMALL.bufferSize ? SMALL : bytes <= MEDIUM.bufferSize ? MEDIUM : LARGE;
    }

    /**
     * Returns the size of this pool's buffers.
     *
     * @return the size in bytes
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * Takes a buffer, cleared; a new one if none is idle.
     *
     * @return a heap buffer of {@link #bufferSize()} bytes, position 0, limit at its capacity
     */
    public ByteBuffer take() {
        ByteBuffer buffer = free.poll();
        return buffer == null ? ByteBuffer.allocate(bufferSize) : buffer.clear();
    }

    /**
     * Gives a buffer back; dropped if the pool is full.
     *
     * @param buffer a buffer {@link #take()} returned, no longer used by anyone
     */
    public void giveBack(ByteBuffer buffer) {
        free.offer(buffer);
    }

    /**
     * Wraps a filled buffer as a chunk that gives the buffer back to this pool when released.
     *
     * @param filled a buffer from {@link #take()}, flipped: the bytes from 0 to its limit
     * @return the chunk
     */
    public InboundQueue.Chunk chunk(ByteBuffer filled) {
        return new PooledHeapChunk(filled);
    }

    /** A filled pool buffer; its {@link #bytes()} is a slice, so a lease sees none of the pool's older bytes. */
    private final class PooledHeapChunk implements InboundQueue.Chunk {

        private final ByteBuffer buffer;
        private ByteBuffer bytes;

        PooledHeapChunk(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int readInto(ByteBuffer dst) {
            return InboundQueue.Chunk.copy(buffer, dst);
        }

        @Override
        public int remaining() {
            return bytes != null ? bytes.remaining() : buffer.remaining();
        }

        @Override
        public void release() {
            giveBack(buffer);
        }

        @Override
        public ByteBuffer bytes() {
            if (bytes == null) {
                bytes = buffer.slice();
            }
            return bytes;
        }
    }
}
