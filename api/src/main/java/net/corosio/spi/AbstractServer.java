package net.corosio.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ServerOptions;
import net.corosio.ShutdownOutcome;
import net.corosio.TransportException;
import net.corosio.internal.Checks;

/**
 * Everything a {@link Server} does that does not depend on how connections are accepted: the
 * connection limit, running each handler on the handler executor, closing or aborting the
 * connection when the handler returns or throws, the counters, and {@link #shutdown(Duration)}.
 *
 * <p>A backend accepts sockets its own way and hands each new connection to {@link
 * #accepted(Connection)}; it implements {@link #prepare} (the TLS handshake, run on the handler's
 * thread) and {@link #stopAccepting()}. Thread-safe.
 *
 * @param <C> the backend's connection type
 */
public abstract class AbstractServer<C extends Connection> implements Server {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    /** How long a forced shutdown waits for handlers to notice their connections were aborted. */
    private static final Duration FORCED_EXIT_WAIT = Duration.ofSeconds(5);

    private final String backend;
    private final ServerOptions options;
    private final ConnectionHandler handler;
    private final TrafficCounter traffic = new TrafficCounter();
    private final Set<C> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong tlsFailures = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CompletableFuture<ShutdownOutcome> outcome = new CompletableFuture<>();
    private volatile boolean accepting = true;
    private volatile Runnable onShutdown = () -> {};

    /**
     * Creates the server's bookkeeping.
     *
     * @param backend the backend's name, for messages and logs
     * @param options the server's options
     * @param handler the handler to run per connection
     */
    protected AbstractServer(String backend, ServerOptions options, ConnectionHandler handler) {
        this.backend = backend;
        this.options = options;
        this.handler = handler;
    }

    /**
     * Sets what runs once shutdown has completed, typically the transport's untracking action.
     *
     * @param action the action
     */
    protected final void onShutdown(Runnable action) {
        this.onShutdown = action;
    }

    /**
     * Returns the options the server was started with.
     *
     * @return the options
     */
    protected final ServerOptions options() {
        return options;
    }

    /**
     * Returns the counter every accepted connection adds its application bytes to.
     *
     * @return the server's traffic counter
     */
    protected final TrafficCounter traffic() {
        return traffic;
    }

    /**
     * Makes the connection ready for its handler; called on the handler's thread before the
     * handler. A TLS backend runs the handshake here.
     *
     * @param connection the accepted connection
     * @throws TransportException if it cannot be made ready; the connection is then aborted and
     *     counted in {@link ServerMetrics#tlsHandshakeFailures()}, and the handler never sees it
     */
    protected abstract void prepare(C connection) throws TransportException;

    /**
     * Starts a connection's handler on a virtual thread carried by the event loop that serves the
     * connection ({@link LoopCarrier#startHandler}); called for {@link HandlerExecutors#eventLoop()}.
     * A backend that declares {@link net.corosio.Capability#EVENT_LOOP_HANDLERS} overrides it; the
     * transport has checked the capability before the server was built.
     *
     * @param connection the accepted connection
     * @param handler what the handler's thread runs
     * @throws RejectedExecutionException if the loop has ended
     */
    protected void startOnEventLoop(C connection, Runnable handler) {
        throw new IllegalStateException(backend + " does not run handlers on its event loops");
    }

    /**
     * Starts accepting, once the transport tracks the server; called once by {@link
     * AbstractTransport#serveOnListener}. Does nothing by default, for a backend that starts
     * accepting on its own.
     *
     * @throws IOException if accepting cannot start
     */
    protected void startAccepting() throws IOException {}

    /**
     * Stops accepting: closes the listening socket so that new connection attempts are refused.
     * Called once; must not block for long or throw.
     */
    protected abstract void stopAccepting();

    /**
     * Hands over a newly accepted connection. Call from any thread. The connection is counted,
     * checked against the limit, and its handler is started on the handler executor.
     *
     * @param connection the new connection
     */
    protected final void accepted(C connection) {
        accepted.incrementAndGet();
        if (!accepting) {
            connection.abort();
            return;
        }
        int max = options.maxConnections();
        long nowActive = active.incrementAndGet();
        if (max > 0 && nowActive > max) {
            leave();
            rejected.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, () -> backend + " server at its limit of " + max
                    + " connections: rejecting " + connection.remoteAddress());
            connection.abort();
            return;
        }
        live.add(connection);
        if (!accepting) {
            // Shutdown began between the first check and add(); it may not have seen this one.
            finish(connection);
            connection.abort();
            return;
        }
        try {
            if (HandlerExecutors.isEventLoop(options.handlerExecutor())) {
                startOnEventLoop(connection, () -> serve(connection));
            } else {
                options.handlerExecutor().execute(() -> serve(connection));
            }
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, backend + " server: handler executor rejected a connection", e);
            finish(connection);
            connection.abort();
        }
    }

    private void serve(C connection) {
        try {
            try {
                prepare(connection);
            } catch (TransportException e) {
                tlsFailures.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, () -> backend + " server: connection not ready: " + e.getMessage());
                connection.abort();
                return;
            }
            handler.handle(connection);
            connection.close();
        } catch (Throwable t) {
            handlerFailures.incrementAndGet();
            if (t instanceof TransportException e) {
                // The network failed under the handler (a peer reset, a timeout): routine for a
                // server, and counted; not worth a stack trace at the default level.
                LOG.log(System.Logger.Level.DEBUG, () -> backend + " server: handler for "
                        + connection.remoteAddress() + " ended with " + e.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, backend + " server: handler failed for "
                        + connection.remoteAddress() + "; aborting its connection", t);
            }
            connection.abort();
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            finish(connection);
        }
    }

    private void finish(C connection) {
        if (live.remove(connection)) {
            leave();
        }
    }

    /** One connection stops counting as active; wakes a shutdown waiting for none to be left. */
    private void leave() {
        active.decrementAndGet();
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ServerMetrics metrics() {
        return new ServerMetrics(
                accepted.get(),
                active.get(),
                rejected.get(),
                handlerFailures.get(),
                tlsFailures.get(),
                traffic.bytesRead(),
                traffic.bytesWritten());
    }

    @Override
    public boolean isAccepting() {
        return accepting;
    }

    @Override
    public ShutdownOutcome shutdown(Duration grace) {
        Checks.timeout("grace", grace);
        if (!shutdownStarted.compareAndSet(false, true)) {
            return outcome.join();
        }
        ShutdownOutcome result = ShutdownOutcome.FORCED;
        try {
            accepting = false;
            stopAccepting();
            if (awaitHandlers(grace)) {
                result = ShutdownOutcome.GRACEFUL;
            } else {
                List<C> remaining = List.copyOf(live);
                LOG.log(System.Logger.Level.DEBUG, () -> backend + " server: grace of " + grace
                        + " ran out; aborting " + remaining.size() + " connections");
                remaining.forEach(Connection::abort);
                if (!awaitHandlers(FORCED_EXIT_WAIT)) {
                    LOG.log(System.Logger.Level.WARNING, backend + " server: " + active.get()
                            + " handlers still running " + FORCED_EXIT_WAIT + " after their connections were aborted");
                }
            }
        } finally {
            onShutdown.run();
            outcome.complete(result);
        }
        return result;
    }

    private boolean awaitHandlers(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            // active, not live: it is decremented last, so a graceful shutdown leaves it at zero.
            while (active.get() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                idle.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return active.get() == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    @Override
    public String toString() {
        return backend + " server on " + localAddress();
    }
}
