package net.corosio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes queued by application threads, handed to the event loop by one task however many writes
 * arrive while it is pending: a publisher writing to many connections, or a handler writing many
 * small messages, costs one task (and one socket write) per loop turn instead of one per write.
 *
 * <p>Writers {@link #add} their buffers and {@link #request()} a flush; the first request since the
 * last flush returns the task to run on the loop, the others return {@code null}, their writes riding
 * along. The task clears the request before it drains the queue ({@link #poll}), so a write queued
 * after its last poll finds no request pending and schedules the next flush itself; one queued before
 * is drained by this one. Thread-safe: any number of writers, one loop.
 *
 * @param <T> what a queued write is (a backend's buffer)
 */
public final class CoalescedFlush<T> {

    private static final VarHandle REQUESTED;

    static {
        try {
            REQUESTED = MethodHandles.lookup().findVarHandle(CoalescedFlush.class, "requested", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final Runnable drain;
    private final Runnable task = new Task();
    @SuppressWarnings("unused") // through REQUESTED
    private volatile boolean requested;

    /**
     * Creates an empty queue.
     *
     * @param drain runs on the loop: polls every queued write and writes them out (flushing once)
     */
    public CoalescedFlush(Runnable drain) {
        this.drain = drain;
    }

    /** The flush: clears the request, then drains. */
    private final class Task implements Runnable {
        @Override
        public void run() {
            requested = false;
            drain.run();
        }
    }

    /**
     * Queues a write; it goes out with the next flush.
     *
     * @param write the bytes
     */
    public void add(T write) {
        queue.add(write);
    }

    /**
     * Asks for a flush.
     *
     * @return the task to run on the loop, or {@code null} if a flush is already pending (it will
     *     take the writes queued so far)
     */
    public Runnable request() {
        return REQUESTED.compareAndSet(this, false, true) ? task : null;
    }

    /**
     * Takes the oldest queued write; for the drain, on the loop (or for discarding what a loop that
     * is gone will never write).
     *
     * @return the write, or {@code null} if none is queued
     */
    public T poll() {
        return queue.poll();
    }
}
