package net.corosio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * How many bytes a connection has handed to its backend and the backend has not yet written: a
 * writer takes credit before it hands bytes over ({@link #take}) and waits while the backend holds
 * the high water mark or more; the loop gives it back as bytes leave ({@link #giveBack}), and wakes
 * the writer once the backend holds no more than the low water mark. This is the whole of {@code
 * write}'s backpressure. Thread-safe: one writer (the write lock's holder) and the loop.
 */
public final class OutboundCredit {

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(OutboundCredit.class, "pending", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through PENDING
    private volatile long pending;
    private final Signal writable = new Signal();
    private final int high;
    private final int low;

    /**
     * Creates the credit of one connection.
     *
     * @param high the write high water mark: a writer waits while this much is pending
     * @param low the write low water mark: the writer is woken once pending falls to this
     */
    public OutboundCredit(int high, int low) {
        this.high = high;
        this.low = low;
    }

    /**
     * Returns the most bytes a writer hands over in one piece: the high water mark.
     *
     * @return the slice size
     */
    public int sliceSize() {
        return high;
    }

    /**
     * Returns whether a writer must wait before handing more over.
     *
     * @return whether the high water mark is reached
     */
    public boolean isExhausted() {
        return pending >= high;
    }

    /**
     * Waits until the backend holds no more than the low water mark, or {@code giveUp} holds.
     *
     * @param giveUp re-checked after every wake-up (the connection closed or failed)
     * @return {@code false} if the writer was interrupted (its interrupt status is left set)
     */
    public boolean awaitBelowLow(BooleanSupplier giveUp) {
        return writable.await(() -> pending <= low || giveUp.getAsBoolean(), 0);
    }

    /**
     * Records bytes handed to the backend.
     *
     * @param bytes how many
     */
    public void take(long bytes) {
        PENDING.getAndAdd(this, bytes);
    }

    /**
     * Records bytes the backend has written (or discarded); wakes the writer below the low mark.
     *
     * @param bytes how many, as {@link #take} counted them
     */
    public void giveBack(long bytes) {
        if ((long) PENDING.getAndAdd(this, -bytes) - bytes <= low) {
            writable.signal();
        }
    }

    /** Wakes the writer to re-check its condition (the connection closed or failed). */
    public void wake() {
        writable.signal();
    }

    /**
     * Returns the bytes handed over and not yet written.
     *
     * @return the pending bytes
     */
    public long pending() {
        return pending;
    }
}
