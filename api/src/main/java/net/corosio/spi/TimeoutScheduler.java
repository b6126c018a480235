package net.corosio.spi;

/**
 * Runs short tasks after a delay: the one timer facility a backend uses for every timeout of
 * every connection (an event loop's own scheduler, Jetty's {@code Scheduler}, or {@link
 * TimerThread}). Implementations are thread-safe.
 */
public interface TimeoutScheduler {

    /** A scheduled task that can still be cancelled. */
    interface Scheduled {
        /** Cancels the task if it has not run; harmless afterwards. */
        void cancel();
    }

    /**
     * Schedules {@code task} to run once after {@code delayNanos}. The task must be short and must
     * not block: it runs on the scheduler's thread.
     *
     * @param delayNanos the delay in nanoseconds; 0 or less runs it as soon as possible
     * @param task what to run
     * @return a handle to cancel it
     */
    Scheduled schedule(long delayNanos, Runnable task);
}
