package net.corosio.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import net.corosio.spi.TimeoutScheduler;

/**
 * The timeouts of a connection, on its own event loop's scheduler: they fire on the thread that
 * owns the channel, and need no timer thread of their own.
 *
 * @param loop the channel's event loop
 */
record LoopTimer(EventLoop loop) implements TimeoutScheduler {

    private static final Scheduled NOTHING = () -> {};

    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        try {
            ScheduledFuture<?> future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and closes its channels itself: nothing is left to time out.
            return NOTHING;
        }
    }
}
