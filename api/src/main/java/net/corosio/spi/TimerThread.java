package net.corosio.spi;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeoutScheduler} on one daemon platform thread, for backends without a scheduler of
 * their own. Cancelled tasks are removed at once, so a connection that arms and disarms timeouts
 * does not grow the queue. Close it with the transport.
 */
public final class TimerThread implements TimeoutScheduler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TimerThread.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    /**
     * Starts the timer thread.
     *
     * @param name the thread's name, e.g. {@code "corosio-loom-timer"}
     */
    public TimerThread(String name) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(() -> runSafely(task), delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "timeout task failed", e);
        }
    }

    /**
     * Stops the thread, dropping pending tasks, and waits briefly for it to end.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
