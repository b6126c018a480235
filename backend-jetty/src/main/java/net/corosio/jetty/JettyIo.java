package net.corosio.jetty;

import java.util.List;
import net.corosio.ErrorKind;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one jetty transport runs on: a thread pool (which also runs the selectors), Jetty's
 * scheduler (every timeout), the buffer pool, the selector manager of accepted sockets and the
 * client connector. Started together, stopped together, in reverse order.
 */
final class JettyIo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JettyIo.class);

    /** The property that overrides the selector count of {@link TransportConfig#ioThreads()}. */
    static final String SELECTORS_PROPERTY = "jetty.selectors";

    private final QueuedThreadPool threads;
    private final ScheduledExecutorScheduler scheduler;
    private final ByteBufferPool pool;
    private final ServerSelectors servers;
    private final JettyClientConnector clients;
    private final JettyTimeouts timeouts;

    private JettyIo(int selectors, ByteBufferPool pool) {
        // Every selector holds a thread for its loop; the rest run the few tasks Jetty dispatches
        // (opening and closing end points, TLS wake-ups). Connection callbacks are non-blocking and
        // run on the selector threads themselves.
        int minThreads = 2 * selectors + 2;
        this.threads = new QueuedThreadPool(Math.max(16, 2 * minThreads), minThreads, 10_000);
        threads.setName("corosio-jetty-io");
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        this.scheduler = new ScheduledExecutorScheduler("corosio-jetty-timer", true);
        this.pool = pool;
        this.servers = new ServerSelectors(threads, scheduler, selectors);
        this.clients = new JettyClientConnector(threads, scheduler, pool, selectors);
        this.timeouts = new JettyTimeouts(scheduler);
    }

    /**
     * Starts the threads, the selectors and the client connector.
     *
     * @param config the transport's settings
     * @param pool the buffer pool every connection takes its buffers from
     * @return the running resources
     * @throws TransportException if Jetty cannot start (no selector can be opened)
     */
    static JettyIo start(TransportConfig config, ByteBufferPool pool) throws TransportException {
        JettyIo io = new JettyIo(selectors(config), pool);
        try {
            for (LifeCycle part : io.parts()) {
                part.start();
            }
        } catch (Exception e) {
            io.close();
            throw new TransportException(ErrorKind.IO, "jetty transport failed to start: " + e.getMessage(), e);
        }
        return io;
    }

    private static int selectors(TransportConfig config) {
        String property = config.property(SELECTORS_PROPERTY).orElse(null);
        if (property != null) {
            int count;
            try {
                count = Integer.parseInt(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SELECTORS_PROPERTY + " must be a positive number: " + property, e);
            }
            if (count <= 0) {
                throw new IllegalArgumentException(SELECTORS_PROPERTY + " must be a positive number: " + property);
            }
            return count;
        }
        if (config.ioThreads() > 0) {
            return config.ioThreads();
        }
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** In start order. */
    private List<LifeCycle> parts() {
        return List.of(threads, scheduler, servers, clients);
    }

    QueuedThreadPool threads() {
        return threads;
    }

    ByteBufferPool pool() {
        return pool;
    }

    ServerSelectors servers() {
        return servers;
    }

    JettyClientConnector clients() {
        return clients;
    }

    JettyTimeouts timeouts() {
        return timeouts;
    }

    /** Stops everything, in reverse start order; stopping the selectors closes what is still open. */
    @Override
    public void close() {
        List<LifeCycle> parts = parts();
        for (int i = parts.size() - 1; i >= 0; i--) {
            LifeCycle part = parts.get(i);
            try {
                part.stop();
            } catch (Exception e) {
                LOG.warn("jetty transport: stopping {} failed", part, e);
            }
        }
    }
}
