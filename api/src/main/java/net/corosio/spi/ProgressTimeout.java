package net.corosio.spi;

import java.time.Duration;

/**
 * A timeout that fires only when no progress has been made for its whole duration: the rule
 * behind the write and idle timeouts ("as long as forward progress is being made, no call
 * fails"). Recording progress is one volatile write, so it can sit on the hot path; the timer is
 * touched at most once per period, however many bytes flow.
 *
 * <p>While armed, the task fires after {@code timeout} without a call to {@link #progress()};
 * then the timeout disarms itself. Thread-safe.
 */
public final class ProgressTimeout {

    private static final ProgressTimeout NEVER = new ProgressTimeout(null, Duration.ZERO, () -> {});

    private final TimeoutScheduler scheduler;
    private final long timeoutNanos;
    private final Runnable onExpiry;

    private volatile long lastProgress;
    private volatile boolean armed;
    private TimeoutScheduler.Scheduled pending; // guarded by this

    /**
     * Creates a disarmed timeout.
     *
     * @param scheduler the timer to use
     * @param timeout the longest stretch without progress; {@link Duration#ZERO} makes this a
     *     timeout that never fires
     * @param onExpiry what to do when it fires; runs on the scheduler's thread and must not block
     */
    public ProgressTimeout(TimeoutScheduler scheduler, Duration timeout, Runnable onExpiry) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.onExpiry = onExpiry;
    }

    /**
     * Returns the timeout that never fires: one, shared, so that a connection without a timeout
     * holds none of its own (nor the action it would run).
     *
     * @return the timeout
     */
    public static ProgressTimeout never() {
        return NEVER;
    }

    /**
     * Returns whether this timeout can fire at all.
     *
     * @return {@code false} for a zero duration
     */
    public boolean isEnabled() {
        return timeoutNanos > 0;
    }

    /** Starts watching, counting from now. Harmless if already armed. */
    public void arm() {
        if (timeoutNanos <= 0) {
            return;
        }
        lastProgress = System.nanoTime();
        armed = true;
        synchronized (this) {
            if (pending == null) {
                pending = scheduler.schedule(timeoutNanos, this::check);
            }
        }
    }

    /** Records progress: the next expiry is at least a full timeout away. */
    public void progress() {
        if (armed) {
            lastProgress = System.nanoTime();
        }
    }

    /**
     * Stops watching. A pending timer task is left to lapse (it sees the timeout disarmed and does
     * nothing), so that arming and disarming around every call costs no timer operation.
     */
    public void disarm() {
        if (armed) { // a plain read first: the shared never() timeout is not written by every call
            armed = false;
        }
    }

    /** Stops watching and cancels the pending timer task, for when the connection is released. */
    public void cancel() {
        if (timeoutNanos <= 0) {
            return; // never armed; and never() is shared, so no connection may lock it
        }
        armed = false;
        synchronized (this) {
            if (pending != null) {
                pending.cancel();
                pending = null;
            }
        }
    }

    private void check() {
        boolean expired = false;
        synchronized (this) {
            pending = null;
            if (!armed) {
                return;
            }
            long quiet = System.nanoTime() - lastProgress;
            if (quiet >= timeoutNanos) {
                armed = false;
                expired = true;
            } else {
                pending = scheduler.schedule(timeoutNanos - quiet, this::check);
            }
        }
        if (expired) {
            onExpiry.run();
        }
    }
}
