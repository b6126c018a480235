package net.corosio.jetty;

import java.util.concurrent.TimeUnit;
import net.corosio.spi.TimeoutScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SPI's {@link TimeoutScheduler} on Jetty's {@link Scheduler}: every connection timeout (read,
 * write, idle, handshake, close) runs on the transport's one Jetty timer thread.
 *
 * @param scheduler Jetty's scheduler, started and stopped with the transport
 */
record JettyTimeouts(Scheduler scheduler) implements TimeoutScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(JettyTimeouts.class);

    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        Scheduler.Task scheduled = scheduler.schedule(() -> runSafely(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return scheduled::cancel;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("jetty transport: a timeout task failed", e);
        }
    }
}
