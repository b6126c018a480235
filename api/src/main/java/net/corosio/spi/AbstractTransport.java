package net.corosio.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.corosio.Capability;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ErrorKind;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.TransportMetrics;

/**
 * What every {@link Transport} does besides moving bytes: it knows its open servers and
 * connections, counts them, refuses work once closed, and on {@link #close()} closes servers
 * (without grace), aborts connections and then lets the backend stop its threads. Thread-safe.
 */
public abstract class AbstractTransport implements Transport {

    private final String name;
    private final Set<Capability> capabilities;
    private final Set<Server> servers = ConcurrentHashMap.newKeySet();
    private final Map<Connection, ConnectionState> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LendingLedger lending = new LendingLedger();

    /**
     * Creates the transport's bookkeeping.
     *
     * @param name the backend's name
     * @param capabilities the backend's capabilities
     */
    protected AbstractTransport(String name, Set<Capability> capabilities) {
        this.name = Objects.requireNonNull(name, "name");
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public TransportMetrics metrics() {
        long stalls = 0;
        long stallNanos = 0;
        for (LoopCarrier carrier : carriers()) {
            stalls += carrier.stalls();
            stallNanos += carrier.stallNanos();
        }
        return new TransportMetrics(connections.size(), servers.size(), stalls, stallNanos, lending.outstanding());
    }

    /**
     * Names the connections whose leases ({@link Connection#receive()}) are still out, open or
     * closed: what a leak check reports when {@link TransportMetrics#lentBuffers()} is not zero.
     *
     * @return one line per connection, with how many buffers it has out; empty when none is out
     */
    public final List<String> lendingConnections() {
        return lending.lenders(connections.keySet());
    }

    /**
     * Returns the carriers of the event loops that carry handlers, for the stall counts in {@link
     * #metrics()}; none by default.
     *
     * @return the carriers started so far
     */
    protected List<LoopCarrier> carriers() {
        return List.of();
    }

    /**
     * Fails if the transport is closed; call at the start of {@code serve} and {@code connect}.
     *
     * @throws IllegalStateException if {@link #close()} was called
     */
    protected final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("transport " + name + " is closed");
        }
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether the transport is closed
     */
    protected final boolean isClosed() {
        return closed.get();
    }

    /**
     * Checks that this backend can run handlers where {@code options} asks: for {@link
     * HandlerExecutors#eventLoop()}, that it declares {@link Capability#EVENT_LOOP_HANDLERS} and that
     * the JVM lets virtual threads be carried by an event loop. Call at the start of {@code serve}
     * ({@link #serveOnListener} does).
     *
     * @param options the server's options
     * @throws IllegalStateException naming what is missing
     */
    protected final void checkHandlerExecutor(ServerOptions options) {
        if (!HandlerExecutors.isEventLoop(options.handlerExecutor())) {
            return;
        }
        if (!capabilities.contains(Capability.EVENT_LOOP_HANDLERS)) {
            throw new IllegalStateException("backend " + name + " cannot run handlers on its event loops (it does"
                    + " not declare " + Capability.EVENT_LOOP_HANDLERS + "): use HandlerExecutors.virtualThreads()"
                    + " or a platform executor");
        }
        VirtualThreadInternals.require();
    }

    /**
     * Tracks an open connection until the returned action is run, which the backend does once,
     * when the connection releases its socket.
     *
     * @param connection the connection
     * @param state its state, which {@link #close()} marks closed before it aborts anything, so
     *     that every call blocked on any of the transport's connections fails with {@code CLOSED}
     *     rather than with the reset that aborting its peer (on the same transport) may cause
     * @return the action that stops tracking it
     */
    protected final Runnable track(Connection connection, ConnectionState state) {
        if (connection instanceof AbstractConnection lender) {
            lender.countLeasesIn(lending);
        }
        connections.put(connection, state);
        if (closed.get()) {
            state.markClosed();
            connection.abort();
        }
        return () -> connections.remove(connection);
    }

    /**
     * Tracks a running server until the returned action is run, once the server is shut down.
     *
     * @param server the server
     * @return the action that stops tracking it
     */
    protected final Runnable track(Server server) {
        servers.add(server);
        if (closed.get()) {
            server.close();
        }
        return () -> servers.remove(server);
    }

    /** Builds a backend's server on a bound listening socket. */
    @FunctionalInterface
    protected interface ServerFactory {

        /**
         * Builds the server; it must not accept yet.
         *
         * @param listener the bound listening socket, now the server's
         * @return the server
         * @throws IOException if it cannot be built
         */
        AbstractServer<?> create(ServerSocketChannel listener) throws IOException;
    }

    /**
     * {@code serve} for a backend that listens on a JDK {@link ServerSocketChannel}: checks the
     * arguments and that the transport is open, binds ({@link JdkSockets#openListener}), builds the
     * server, tracks it until it shuts down and starts it accepting. On failure the listener is
     * closed and the failure reported as a {@link TransportException} of the kind it maps to.
     *
     * @param address where to listen
     * @param options the server's options
     * @param handler the handler, checked here and used by the factory
     * @param factory builds the backend's server
     * @return the running server
     * @throws TransportException if binding or starting fails
     */
    protected final Server serveOnListener(InetSocketAddress address, ServerOptions options,
            ConnectionHandler handler, ServerFactory factory) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        checkHandlerExecutor(options);
        ServerSocketChannel listener = JdkSockets.openListener(address, options);
        try {
            AbstractServer<?> server = factory.create(listener);
            server.onShutdown(track(server));
            server.startAccepting();
            return server;
        } catch (IOException e) {
            JdkSockets.closeQuietly(listener);
            throw new TransportException(ErrorClassifier.classify(e, ErrorKind.IO),
                    "serve on " + address + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Connection> open = List.copyOf(connections.keySet());
        connections.values().forEach(ConnectionState::markClosed);
        for (Connection connection : open) {
            connection.abort();
        }
        for (Server server : List.copyOf(servers)) {
            server.close();
        }
        closeResources();
    }

    /**
     * Stops the backend's threads and frees what it holds; called once by {@link #close()} after
     * every server and connection has been closed. Must not throw.
     */
    protected abstract void closeResources();

    @Override
    public String toString() {
        return "Transport[" + name + "]";
    }
}
