package net.corosio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bytes an event loop has received for one connection and its reader has not taken yet,
 * bounded by the connection's inbound limit: when the queue reaches the limit the loop stops
 * reading from the socket (so the peer is pushed back by TCP), and when the reader has drained it
 * below half the limit, reading resumes.
 *
 * <p>One producer (the event loop: {@link #offer}, {@link #end}) and one consumer (the reader:
 * {@link #poll}, {@link #take}); both sides are lock-free. Chunks are the backend's own buffers (a
 * pooled Netty {@code ByteBuf}, a Jetty {@code RetainableByteBuffer}): a {@code read} copies them
 * once into the reader's buffer and releases them; a {@code receive} takes one whole and lends it
 * to the application ({@link ChunkLease}), which releases it when it gives the lease back.
 *
 * <p>Read interest is changed only through the backend's {@code readInterest} action, which the
 * backend runs <em>on its event loop</em> and which must apply the current value of {@link
 * #isPaused()} (not a value captured when it was scheduled): pause and resume requests from the two
 * threads then always settle on the right state.
 */
public final class InboundQueue {

    /**
     * A buffer of received bytes, owned by the queue until released: a backend's own buffer (or a
     * region of one). It is read by copies ({@link #readInto}) or lent whole ({@link #bytes()}), and
     * once lent it is never copied from again.
     */
    public interface Chunk {

        /**
         * Copies as many bytes as fit into {@code dst}.
         *
         * @param dst the reader's buffer
         * @return the number of bytes copied
         */
        int readInto(ByteBuffer dst);

        /**
         * Returns the bytes not yet copied out (once {@link #bytes()} was called: its remaining
         * bytes).
         *
         * @return the remaining bytes
         */
        int remaining();

        /** Gives the buffer back to its pool. Called once, from any thread. */
        void release();

        /**
         * Returns the bytes not yet copied out as a buffer, from its position to its limit, for a
         * lease: the same buffer on every call, so a position or limit set on it stays (a write
         * that took a lease over writes what remains between them). It holds no other chunk's
         * bytes, before its position or after its limit: the application is shown a view of it.
         * May be direct. {@link #readInto} is not called after this.
         *
         * @return the bytes
         */
        ByteBuffer bytes();

        /**
         * Copies as many of {@code bytes}' remaining bytes as fit into {@code dst}, advancing both:
         * the {@link #readInto} of a chunk whose bytes are a {@link ByteBuffer}.
         *
         * @param bytes the chunk's bytes
         * @param dst the reader's buffer
         * @return the number of bytes copied
         */
        static int copy(ByteBuffer bytes, ByteBuffer dst) {
            int n = Math.min(dst.remaining(), bytes.remaining());
            dst.put(dst.position(), bytes, bytes.position(), n);
            dst.position(dst.position() + n);
            bytes.position(bytes.position() + n);
            return n;
        }

        /**
         * Wraps a plain buffer (read mode) that needs no release.
         *
         * @param buffer the bytes, from its position to its limit
         * @return the chunk
         */
        static Chunk of(ByteBuffer buffer) {
            return new Chunk() {
                @Override
                public int readInto(ByteBuffer dst) {
                    return copy(buffer, dst);
                }

                @Override
                public int remaining() {
                    return buffer.remaining();
                }

                @Override
                public void release() {}

                @Override
                public ByteBuffer bytes() {
                    return buffer;
                }
            };
        }
    }

    private static final VarHandle SIZE;
    private static final VarHandle PAUSED;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(InboundQueue.class, "size", long.class);
            PAUSED = MethodHandles.lookup().findVarHandle(InboundQueue.class, "paused", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentLinkedQueue<Chunk> chunks = new ConcurrentLinkedQueue<>();
    @SuppressWarnings("unused") // through SIZE
    private volatile long size;
    @SuppressWarnings("unused") // through PAUSED
    private volatile boolean paused;
    private final int limit;
    private final int resumeBelow;
    private final Runnable readInterest;
    private final Runnable onArrival;
    private volatile boolean ended;
    private volatile boolean discarding;
    private volatile long lastArrival = System.nanoTime();

    /**
     * Creates an empty queue.
     *
     * @param limit the inbound limit in bytes; reading pauses when this many are queued
     * @param readInterest applies {@link #isPaused()} to the socket's read interest; runs on the
     *     event loop (the backend schedules it there when called from elsewhere)
     * @param onArrival wakes the reader; called by the loop after every offer and at the end
     */
    public InboundQueue(int limit, Runnable readInterest, Runnable onArrival) {
        this.limit = limit;
        this.resumeBelow = Math.max(1, limit / 2);
        this.readInterest = readInterest;
        this.onArrival = onArrival;
    }

    // ------------------------------------------------------------------ the event loop's side

    /**
     * Queues received bytes; the loop calls this for every chunk, in order. In discard mode (a
     * lingering close) the chunk is released at once.
     *
     * @param chunk the bytes
     */
    public void offer(Chunk chunk) {
        lastArrival = System.nanoTime();
        if (discarding) {
            chunk.release();
            onArrival.run();
            return;
        }
        int bytes = chunk.remaining();
        chunks.add(chunk);
        long queued = (long) SIZE.getAndAdd(this, (long) bytes) + bytes;
        if (discarding) {
            // discard() or dispose() ran on another thread between the check above and the add, and
            // may have released the queue before this chunk was in it: release what is left.
            releaseAll();
            onArrival.run();
            return;
        }
        onArrival.run();
        if (queued >= limit && PAUSED.compareAndSet(this, false, true)) {
            readInterest.run();
            // The reader may have drained the queue between our add and the flag: it did not see the
            // flag set, so resuming is ours to do.
            if ((long) SIZE.getVolatile(this) < resumeBelow && PAUSED.compareAndSet(this, true, false)) {
                readInterest.run();
            }
        }
    }

    /** Records end-of-stream after every chunk offered so far. */
    public void end() {
        ended = true;
        lastArrival = System.nanoTime();
        onArrival.run();
    }

    // ------------------------------------------------------------------ the reader's side

    /**
     * Copies queued bytes into {@code dst} without waiting.
     *
     * @param dst the reader's buffer, with room
     * @return the bytes copied (at least 1), 0 if nothing is queued yet, or -1 at end-of-stream
     */
    public int poll(ByteBuffer dst) {
        int total = 0;
        Chunk chunk;
        while (dst.hasRemaining() && (chunk = chunks.peek()) != null) {
            total += chunk.readInto(dst);
            if (chunk.remaining() == 0) {
                chunks.poll();
                chunk.release();
            }
        }
        if (total > 0) {
            long queued = (long) SIZE.getAndAdd(this, (long) -total) - total;
            if (queued < resumeBelow && PAUSED.compareAndSet(this, true, false)) {
                readInterest.run();
            }
            return total;
        }
        return ended && chunks.isEmpty() ? -1 : 0;
    }

    /**
     * Takes the oldest queued chunk whole (what a read left of it, if a read copied part of it
     * out), without waiting: the reader now owns it and must release it.
     *
     * @return the chunk, or {@code null} if none is queued ({@link #isDrainedAndEnded()} then says
     *     whether the stream has ended)
     */
    public Chunk take() {
        Chunk chunk = chunks.poll();
        if (chunk == null) {
            return null;
        }
        int bytes = chunk.remaining();
        long queued = (long) SIZE.getAndAdd(this, (long) -bytes) - bytes;
        if (queued < resumeBelow && PAUSED.compareAndSet(this, true, false)) {
            readInterest.run();
        }
        return chunk;
    }

    /**
     * Returns whether the stream has ended and every byte before the end has been taken.
     *
     * @return whether the next read is end-of-stream
     */
    public boolean isDrainedAndEnded() {
        return ended && chunks.isEmpty();
    }

    /**
     * Returns whether {@link #poll} would return without waiting.
     *
     * @return whether bytes or the end are queued
     */
    public boolean isReadable() {
        return !chunks.isEmpty() || ended;
    }

    /**
     * Returns whether end-of-stream has been received (whether or not the bytes before it were
     * read).
     *
     * @return whether the stream has ended
     */
    public boolean isEnded() {
        return ended;
    }

    /**
     * Returns whether the socket's read interest should be off.
     *
     * @return whether reading is paused
     */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Returns the bytes queued now.
     *
     * @return the queued bytes
     */
    public long size() {
        return size;
    }

    /**
     * Returns when bytes (or the end) last arrived.
     *
     * @return a {@link System#nanoTime()} value
     */
    public long lastArrival() {
        return lastArrival;
    }

    /**
     * Switches to discard mode for a lingering close: releases what is queued, releases what
     * arrives from now on, and resumes reading so the peer's remaining bytes can be drained. Call
     * only while no reader is in {@link #poll} (the caller owns the input side).
     */
    public void discard() {
        discarding = true;
        releaseAll();
        if (PAUSED.compareAndSet(this, true, false)) {
            readInterest.run();
        }
    }

    /**
     * Releases what is queued and what arrives from now on, for a connection that is gone. Call
     * only while no reader is in {@link #poll} (the caller owns the input side).
     */
    public void dispose() {
        discarding = true;
        releaseAll();
    }

    private void releaseAll() {
        Chunk chunk;
        while ((chunk = chunks.poll()) != null) {
            SIZE.getAndAdd(this, (long) -chunk.remaining());
            chunk.release();
        }
    }
}
