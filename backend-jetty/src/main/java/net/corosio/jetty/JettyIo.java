package net.corosio.jetty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.ErrorKind;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.spi.LoopCarrier;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one jetty transport runs on: a thread pool (which also runs the selectors), Jetty's
 * scheduler (every timeout), the buffer pool, the selector manager of accepted sockets and the
 * client connector. Started together, stopped together, in reverse order. The selectors of servers
 * whose handlers the event loop carries ({@link CarriedSelectors}) are started on first use and
 * stopped first.
 */
final class JettyIo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JettyIo.class);

    /** The property that overrides the selector count of {@link TransportConfig#ioThreads()}. */
    static final String SELECTORS_PROPERTY = "jetty.selectors";

    /** How long closing waits for the carriers of carried selectors to end. */
    private static final Duration CARRIER_EXIT_WAIT = Duration.ofSeconds(5);

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final QueuedThreadPool threads;
    private final ScheduledExecutorScheduler scheduler;
    private final ByteBufferPool pool;
    private final ServerSelectors servers;
    private final JettyClientConnector clients;
    private final JettyTimeouts timeouts;
    private final int selectors;
    private final String prefix;
    private CarriedSelectors carried; // guarded by this; made on first use
    private boolean closed; // guarded by this

    private JettyIo(int selectors, ByteBufferPool pool) {
        this.selectors = selectors;
        this.prefix = "corosio-jetty-" + INSTANCES.incrementAndGet() + "-";
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

    /**
     * Returns the selectors of servers whose handlers the event loop carries, starting them on
     * first use: as many as the other selectors, each with a carrier of its own.
     *
     * @return the running carried selectors
     * @throws TransportException if they cannot start (nothing is left running)
     * @throws IllegalStateException if the transport is closed
     */
    synchronized CarriedSelectors carriedServers() throws TransportException {
        if (closed) {
            throw new IllegalStateException("transport jetty is closed");
        }
        if (carried == null) {
            // The pool as a plain Executor: the carried loops hold none of its threads, so none is
            // leased from its budget, and Jetty never tries to hand a loop to one of them.
            CarriedSelectors made = new CarriedSelectors(threads::execute, scheduler, selectors, prefix);
            try {
                made.start();
            } catch (Exception e) {
                stop(made);
                made.awaitCarriers(CARRIER_EXIT_WAIT);
                throw new TransportException(ErrorKind.IO, "jetty transport: the carried selectors failed to start: "
                        + e.getMessage(), e);
            }
            carried = made;
        }
        return carried;
    }

    /**
     * Returns the carriers of the carried selectors, for their stall counts.
     *
     * @return the carriers, none before the first carried server
     */
    synchronized List<LoopCarrier> carriers() {
        return carried == null ? List.of() : carried.carriers();
    }

    /**
     * Stops everything, in reverse start order (the carried selectors first, waiting for their
     * carriers to end); stopping the selectors closes what is still open.
     */
    @Override
    public void close() {
        CarriedSelectors carriedSelectors;
        synchronized (this) {
            closed = true;
            carriedSelectors = carried;
        }
        if (carriedSelectors != null) {
            stop(carriedSelectors);
            carriedSelectors.awaitCarriers(CARRIER_EXIT_WAIT);
        }
        List<LifeCycle> parts = parts();
        for (int i = parts.size() - 1; i >= 0; i--) {
            stop(parts.get(i));
        }
    }

    private static void stop(LifeCycle part) {
        try {
            part.stop();
        } catch (Exception e) {
            LOG.warn("jetty transport: stopping {} failed", part, e);
        }
    }
}
