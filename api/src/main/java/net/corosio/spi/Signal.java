package net.corosio.spi;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Parks one waiting thread until a condition holds, and wakes it when another thread (an event
 * loop) may have made it hold: the hand-off at the heart of bridging an event loop to suspending
 * calls. One park and one unpark per wait; nothing is allocated. A virtual thread that parks here
 * releases its carrier.
 *
 * <p>One waiter at a time: each connection keeps one signal for its reader, one for its writer
 * (which holds the write lock) and one for its lifecycle (handshake, close). {@link #signal()} may
 * be called from any thread, any number of times.
 */
public final class Signal {

    private volatile Thread waiter;

    /** Wakes the waiting thread, if any, to re-check its condition. */
    public void signal() {
        Thread thread = waiter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param condition what is waited for; re-checked after every wake-up, so it must read state
     *     that the signalling thread publishes (volatile or atomic)
     * @param deadlineNanos the {@link System#nanoTime()} at which to give up, or 0 for none
     * @return {@code true} if the condition holds; {@code false} if the deadline passed or the
     *     thread was interrupted (its interrupt status is then left set)
     */
    public boolean await(BooleanSupplier condition, long deadlineNanos) {
        if (condition.getAsBoolean()) {
            return true;
        }
        Thread self = Thread.currentThread();
        waiter = self;
        try {
            while (!condition.getAsBoolean()) {
                if (self.isInterrupted()) {
                    return false;
                }
                if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    /**
     * Returns the deadline {@code timeoutNanos} from now, in the form {@link #await} takes.
     *
     * @param timeoutNanos the timeout, or 0 or less for none
     * @return the deadline, or 0 for none
     */
    public static long deadline(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return 0;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        return deadline == 0 ? 1 : deadline;
    }
}
