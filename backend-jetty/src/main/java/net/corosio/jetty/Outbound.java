package net.corosio.jetty;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.spi.ChunkLease;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A connection's outbound queue. A Jetty end point allows one write at a time (a second one
 * throws {@code WritePendingException}); the API allows writes from any thread and, at the end of
 * the queue, a half-close or a close. So bytes are copied into pooled buffers and queued (a lease's
 * buffer is queued as it is), and the
 * queue is drained by a chain of writes: each write's callback starts the next. Every write hands
 * whole queued items to the end point, so the bytes of one application write, queued together,
 * reach the socket in order and uninterrupted.
 *
 * <p>Draining is never recursive: a write that completes at once (its callback runs inside {@code
 * write}) only clears the in-flight mark, and the draining thread goes on with the next batch.
 * Thread-safe; no lock is held while calling the end point.
 */
// @corrects concurrent-writes: a Jetty end point takes one write at a time (a second one throws
// WritePendingException); writes from any thread are queued here and drained by a chain of writes.
final class Outbound {

    /** What the queue needs from its connection. */
    interface Actions {

        /**
         * Queued bytes were written, or discarded after a failure or a close.
         *
         * @param bytes how many, as they were queued
         */
        void flushed(long bytes);

        /**
         * A write failed; the queue has discarded everything.
         *
         * @param failure what the end point reported
         */
        void writeFailed(Throwable failure);

        /** Every byte queued before it is written: shut the output down now. */
        void shutdownOutput();

        /** Every byte queued before it is written: close the socket now. */
        void close();
    }

    /** The most items one write gathers. */
    private static final int MAX_BATCH = 16;

    private final EndPoint endPoint;
    private final ByteBufferPool pool;
    private final boolean direct;
    private final Actions actions;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Object> queue = new ArrayDeque<>(2); // Data items and Marker values; small while idle
    private final List<Data> inFlight = new ArrayList<>(2);
    private final WriteCallback callback = new WriteCallback();
    private boolean writing; // guarded by lock: a write is pending on the end point
    private boolean draining; // guarded by lock: a thread is in drain()
    private boolean finished; // guarded by lock: closed, failed or discarded; nothing more is written

    private enum Marker {
        SHUTDOWN_OUTPUT,
        CLOSE
    }

    /** Queued bytes: a copy in a pooled buffer, or a lease's own buffer. */
    private static final class Data {
        final RetainableByteBuffer buffer;
        final ChunkLease lease;
        int size;

        Data(RetainableByteBuffer buffer) {
            this.buffer = buffer;
            this.lease = null;
        }

        Data(ChunkLease lease) {
            this.buffer = null;
            this.lease = lease;
            this.size = lease.chunk().remaining();
        }

        ByteBuffer bytes() {
            return lease != null ? lease.chunk().bytes() : buffer.getByteBuffer();
        }

        /** Whether a later copy may be appended to this buffer. */
        boolean hasSpace(int size) {
            return buffer != null && buffer.space() >= size;
        }

        void release() {
            if (lease != null) {
                lease.release();
            } else {
                buffer.release();
            }
        }
    }

    /**
     * Creates an empty queue.
     *
     * @param endPoint where the bytes go (the socket's end point, or the TLS end point)
     * @param pool where the copies' buffers come from
     * @param direct whether to copy into direct buffers
     * @param actions the connection's side
     */
    Outbound(EndPoint endPoint, ByteBufferPool pool, boolean direct, Actions actions) {
        this.endPoint = endPoint;
        this.pool = pool;
        this.direct = direct;
        this.actions = actions;
    }

    /**
     * Copies {@code bytes} (from its position to its limit) to the end of the queue, into the
     * last queued buffer while it has room.
     *
     * @param bytes the bytes; its position is advanced
     */
    void add(ByteBuffer bytes) {
        int size = bytes.remaining();
        lock.lock();
        try {
            if (!finished) {
                if (queue.peekLast() instanceof Data last && last.hasSpace(size)) {
                    BufferUtil.append(last.buffer.getByteBuffer(), bytes);
                    last.size += size;
                    return;
                }
                Data data = new Data(pool.acquire(size, direct));
                BufferUtil.append(data.buffer.getByteBuffer(), bytes);
                data.size = size;
                queue.add(data);
                return;
            }
        } finally {
            lock.unlock();
        }
        bytes.position(bytes.limit());
        actions.flushed(size); // written into a connection that is gone: discarded at once
    }

    /**
     * Queues a lease's own buffer, without a copy; it is given back once written or discarded.
     *
     * @param lease the lease, taken over by a write
     */
    void add(ChunkLease lease) {
        lock.lock();
        try {
            if (!finished) {
                queue.add(new Data(lease));
                return;
            }
        } finally {
            lock.unlock();
        }
        int size = lease.chunk().remaining();
        lease.release();
        actions.flushed(size); // written into a connection that is gone: discarded at once
    }

    /** Queues a half-close after everything queued so far, and drains. */
    void shutdownOutput() {
        addMarker(Marker.SHUTDOWN_OUTPUT);
    }

    /** Queues a close after everything queued so far, and drains. */
    void close() {
        addMarker(Marker.CLOSE);
    }

    private void addMarker(Marker marker) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            queue.add(marker);
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Writes what is queued, one end point write at a time. */
    void drain() {
        lock.lock();
        try {
            if (draining) {
                return; // the thread that is draining sees the new state when it re-checks
            }
            draining = true;
        } finally {
            lock.unlock();
        }
        while (true) {
            ByteBuffer[] batch = null;
            Marker marker = null;
            lock.lock();
            try {
                if (finished || writing || queue.isEmpty()) {
                    draining = false;
                    return;
                }
                if (queue.peek() instanceof Marker next) {
                    queue.poll();
                    marker = next;
                    if (marker == Marker.CLOSE) {
                        finished = true;
                        draining = false;
                    }
                } else {
                    while (inFlight.size() < MAX_BATCH && queue.peek() instanceof Data data) {
                        queue.poll();
                        inFlight.add(data);
                    }
                    batch = new ByteBuffer[inFlight.size()];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = inFlight.get(i).bytes();
                    }
                    writing = true;
                }
            } finally {
                lock.unlock();
            }
            if (marker == Marker.CLOSE) {
                actions.close();
                return;
            }
            if (marker == Marker.SHUTDOWN_OUTPUT) {
                actions.shutdownOutput();
            } else {
                try {
                    endPoint.write(callback, batch);
                } catch (Throwable x) {
                    callback.failed(x);
                }
            }
        }
    }

    /**
     * Discards everything queued (the socket is closed): no write starts after this. A write in
     * flight is discarded by its callback, which the end point fails when it closes.
     */
    void discard() {
        long discarded = 0;
        lock.lock();
        try {
            finished = true;
            discarded += releaseQueued();
        } finally {
            lock.unlock();
        }
        if (discarded > 0) {
            actions.flushed(discarded);
        }
    }

    /** Releases the queued (not in-flight) items. Call with the lock held. */
    private long releaseQueued() {
        long bytes = 0;
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof Data data) {
                bytes += data.size;
                data.release();
            }
        }
        return bytes;
    }

    /** Releases the in-flight items. Call with the lock held. */
    private long releaseInFlight() {
        long bytes = 0;
        for (Data data : inFlight) {
            bytes += data.size;
            data.release();
        }
        inFlight.clear();
        return bytes;
    }

    /** The end point's answer to the one pending write; reused, since there is one at a time. */
    private final class WriteCallback implements Callback, Invocable {

        @Override
        public void succeeded() {
            long written;
            lock.lock();
            try {
                written = releaseInFlight();
                writing = false;
            } finally {
                lock.unlock();
            }
            actions.flushed(written);
            drain();
        }

        @Override
        public void failed(Throwable failure) {
            long discarded;
            lock.lock();
            try {
                discarded = releaseInFlight() + releaseQueued();
                writing = false;
                finished = true;
            } finally {
                lock.unlock();
            }
            actions.flushed(discarded);
            actions.writeFailed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
