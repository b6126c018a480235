package net.corosio.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.spi.InboundQueue;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A connection's reading. Jetty's read interest is one-shot: {@code fillInterested(callback)}
 * calls the callback once, when the end point can be filled. The loop then fills until the end
 * point has nothing more (and registers interest again), the connection's inbound queue is full
 * (and stops until the reader has drained it), or the stream ends.
 *
 * <p>Bytes are filled into a pooled buffer, one region after another, and each region is handed
 * on as a chunk that holds a reference to the buffer: nothing is copied until the reader copies it
 * out, and many small reads share one buffer instead of pinning one each.
 *
 * <p>A small state machine ({@link State}) keeps exactly one fill loop or one registered interest
 * at a time, whichever thread asks to resume: the selector thread that fills, or the reader's
 * thread that has drained the queue. No lock is held while calling the end point.
 */
final class FillLoop {

    /** What the loop needs from its connection. */
    interface Events {

        /**
         * Returns whether the inbound queue is full.
         *
         * @return whether to stop reading
         */
        boolean readPaused();

        /**
         * Bytes arrived. Called with the loop's lock held (it may call {@link FillLoop#resume()},
         * which is reentrant); must not block.
         *
         * @param chunk the bytes, owned by the callee from now on
         */
        void received(InboundQueue.Chunk chunk);

        /** The end point returned end-of-stream. */
        void ended();

        /**
         * Filling failed, or the end point failed the read interest.
         *
         * @param failure what Jetty reported
         */
        void readFailed(Throwable failure);
    }

    private enum State {
        /** Not reading: paused, or not started. */
        IDLE,
        /** Fill interest is registered with the end point. */
        INTERESTED,
        /** A thread is in the fill loop. */
        FILLING,
        /** The input ended, failed or the socket closed: no more reading. */
        DONE
    }

    private final EndPoint endPoint;
    private final ByteBufferPool pool;
    private final int bufferSize;
    private final boolean direct;
    private final Events events;
    private final Callback callback = new FillCallback();
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.IDLE; // guarded by lock
    private RetainableByteBuffer buffer; // used by the filling thread; otherwise guarded by lock

    /**
     * Creates an idle loop.
     *
     * @param endPoint what to fill from
     * @param pool where the fill buffers come from
     * @param bufferSize the fill buffers' size
     * @param direct whether the fill buffers are direct
     * @param events the connection's side
     */
    FillLoop(EndPoint endPoint, ByteBufferPool pool, int bufferSize, boolean direct, Events events) {
        this.endPoint = endPoint;
        this.pool = pool;
        this.bufferSize = bufferSize;
        this.direct = direct;
        this.events = events;
    }

    /**
     * Starts reading if the loop is idle and the queue is not full. A pause takes effect in the
     * loop, at its next turn. Called from any thread.
     */
    void resume() {
        boolean register;
        lock.lock();
        try {
            register = state == State.IDLE && !events.readPaused();
            if (register) {
                state = State.INTERESTED;
            }
        } finally {
            lock.unlock();
        }
        if (register) {
            register();
        }
    }

    /**
     * Stops reading for good (the socket closed) and gives the buffer back. Once it returns, no
     * more bytes are handed on.
     */
    void stop() {
        lock.lock();
        try {
            State before = state;
            state = State.DONE;
            if (before != State.FILLING) {
                releaseBuffer(); // else the filling thread releases it when it sees DONE
            }
        } finally {
            lock.unlock();
        }
    }

    private void register() {
        try {
            endPoint.fillInterested(callback);
        } catch (Throwable x) {
            finish();
            events.readFailed(x);
        }
    }

    private void fill() {
        while (true) {
            RetainableByteBuffer current;
            lock.lock();
            try {
                if (state == State.DONE) {
                    releaseBuffer();
                    return;
                }
                if (events.readPaused()) {
                    // Checked under the lock that resume() takes too: a reader that drains the
                    // queue after this sees IDLE and registers; one that drained before was seen here.
                    state = State.IDLE;
                    releaseUnusedBuffer();
                    return;
                }
                if (buffer == null) {
                    buffer = pool.acquire(bufferSize, direct);
                }
                current = buffer;
            } finally {
                lock.unlock();
            }
            ByteBuffer bytes = current.getByteBuffer();
            int start = bytes.limit();
            int filled;
            try {
                filled = endPoint.fill(bytes); // appends after the limit
            } catch (Throwable x) {
                finish();
                events.readFailed(x);
                return;
            }
            if (filled > 0) {
                lock.lock();
                try {
                    // Delivered under the lock that stop() takes: once the socket's close has
                    // stopped the loop, nothing more reaches the queue it is about to dispose of.
                    if (state == State.DONE) {
                        releaseBuffer();
                        return;
                    }
                    current.retain();
                    events.received(new PooledChunk(current, bytes.slice(start, filled)));
                    if (bytes.limit() == bytes.capacity()) {
                        // Full: the chunks keep it until they are read; the next fill takes a new one.
                        releaseBuffer();
                    }
                } finally {
                    lock.unlock();
                }
            } else if (filled == 0) {
                lock.lock();
                try {
                    if (state == State.DONE) {
                        releaseBuffer();
                        return;
                    }
                    state = State.INTERESTED;
                    releaseUnusedBuffer();
                } finally {
                    lock.unlock();
                }
                register();
                return;
            } else {
                finish();
                events.ended();
                return;
            }
        }
    }

    /** The input ended or failed: no more reading. */
    private void finish() {
        lock.lock();
        try {
            state = State.DONE;
            releaseBuffer();
        } finally {
            lock.unlock();
        }
    }

    /** Call with the lock held. */
    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    /**
     * Gives the buffer back when the loop goes idle, so that an idle connection pins none: chunks
     * still unread hold their own references and return it to the pool once read. (Keeping a
     * partly filled buffer to append the next fill to saved a pool round trip per message, but left
     * every connection that had ever received a byte holding a whole fill buffer while idle.)
     */
    private void releaseUnusedBuffer() {
        releaseBuffer();
    }

    /** The end point's answer to a fill interest; non-blocking, so Jetty runs it on the selector. */
    private final class FillCallback implements Callback, Invocable {

        @Override
        public void succeeded() {
            lock.lock();
            try {
                if (state != State.INTERESTED) {
                    return;
                }
                state = State.FILLING;
            } finally {
                lock.unlock();
            }
            fill();
        }

        @Override
        public void failed(Throwable failure) {
            lock.lock();
            try {
                if (state == State.INTERESTED) {
                    state = State.DONE;
                    releaseBuffer();
                }
            } finally {
                lock.unlock();
            }
            events.readFailed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
