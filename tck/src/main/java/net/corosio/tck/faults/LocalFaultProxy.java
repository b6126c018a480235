package net.corosio.tck.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The built-in {@link FaultProxy}: accepts on a loopback port, connects each client to the
 * upstream address, and hands the pair to a {@link ProxyLink}. Holds the toxics of each direction
 * (read by every link's pipes on each chunk, so changes apply to open connections) and the
 * counters. Thread-safe.
 */
final class LocalFaultProxy implements FaultProxy {

    /** How long connecting to the upstream may take before the client is reset. */
    private static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 5_000;

    /** How long stopping to listen may take. */
    private static final java.time.Duration STOP_LISTENING_TIMEOUT = java.time.Duration.ofSeconds(5);

    /** One toxic as added: its name, direction, and when it was added. */
    record ActiveToxic(String name, Direction direction, Toxic toxic, long addedNanos) {}

    private final String name;
    private final InetSocketAddress upstream;
    private final int maxConnections;
    private final Consumer<String> onClose;
    private final Set<ProxyLink> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong upstreamForwarded = new AtomicLong();
    private final AtomicLong downstreamForwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong firstFault = new AtomicLong();
    private final Object lock = new Object();
    private final InetSocketAddress listenAddress;
    private volatile List<ActiveToxic> upstreamToxics = List.of();
    private volatile List<ActiveToxic> downstreamToxics = List.of();
    private ServerSocketChannel listener; // guarded by lock; null while disabled or closed
    private Thread acceptor; // guarded by lock: the thread accepting on listener
    private boolean closed; // guarded by lock

    LocalFaultProxy(String name, InetSocketAddress upstream, int maxConnections, Consumer<String> onClose)
            throws IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a proxy needs a name: '" + name + "'");
        }
        this.name = name;
        this.upstream = upstream;
        this.maxConnections = maxConnections;
        this.onClose = onClose;
        synchronized (lock) {
            listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.listenAddress = (InetSocketAddress) listener.getLocalAddress();
        }
    }

    private void listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, 128);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        listener = channel;
        acceptor = Thread.ofVirtual().name("corosio-fault-proxy-" + name + "-acceptor").start(() -> accept(channel));
    }

    /**
     * Closes the listener and waits for its acceptor to leave {@code accept}: a channel closed
     * while a virtual thread is blocked in it is released only when that thread returns, and until
     * then the kernel still completes connects into its backlog — connects that must be refused.
     */
    private void stopListening() {
        ProxyLink.closeQuietly(listener);
        listener = null;
        try {
            if (!acceptor.join(STOP_LISTENING_TIMEOUT)) {
                throw new IllegalStateException("proxy '" + name + "': the acceptor did not stop within " + STOP_LISTENING_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ServerSocketChannel channel) {
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                return; // the listener was closed: disabled or closed
            }
            if (links.size() >= maxConnections) {
                ProxyLink.abort(client);
                continue;
            }
            // Connecting upstream on the connection's own thread: a slow upstream never stalls accepts.
            Thread.ofVirtual().name("corosio-fault-proxy-" + name + "-connect").start(() -> forward(client));
        }
    }

    private void forward(SocketChannel client) {
        SocketChannel server = null;
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server = SocketChannel.open();
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.socket().connect(upstream, UPSTREAM_CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            // The upstream is not there: the client sees its connection reset, as through Toxiproxy.
            ProxyLink.abort(client);
            if (server != null) {
                ProxyLink.abort(server);
            }
            return;
        }
        ProxyLink link = new ProxyLink(this, client, server, connections.incrementAndGet());
        links.add(link);
        boolean up;
        synchronized (lock) {
            up = listener != null;
        }
        if (up) {
            link.start();
        } else {
            link.reset(); // taken down while this one was connecting
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    @Override
    public void addToxic(String toxicName, Direction direction, Toxic toxic) {
        synchronized (lock) {
            if (find(toxicName).isPresent()) {
                throw new IllegalArgumentException("proxy '" + name + "' has a toxic named '" + toxicName + "' already");
            }
            ActiveToxic active = new ActiveToxic(toxicName, direction, toxic, System.nanoTime());
            List<ActiveToxic> list = new ArrayList<>(toxics(direction));
            list.add(active);
            set(direction, list);
        }
        links.forEach(ProxyLink::toxicsChanged);
    }

    @Override
    public void removeToxic(String toxicName) {
        synchronized (lock) {
            find(toxicName).ifPresent(found -> {
                List<ActiveToxic> list = new ArrayList<>(toxics(found.direction()));
                list.remove(found);
                set(found.direction(), list);
            });
        }
        links.forEach(ProxyLink::toxicsChanged);
    }

    private Optional<ActiveToxic> find(String toxicName) {
        return java.util.stream.Stream.concat(upstreamToxics.stream(), downstreamToxics.stream())
                .filter(t -> t.name().equals(toxicName))
                .findFirst();
    }

    private void set(Direction direction, List<ActiveToxic> list) {
        if (direction == Direction.UPSTREAM) {
            upstreamToxics = List.copyOf(list);
        } else {
            downstreamToxics = List.copyOf(list);
        }
    }

    /** The toxics of one direction, in the order they were added (a snapshot). */
    List<ActiveToxic> toxics(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamToxics : downstreamToxics;
    }

    @Override
    public void disable() {
        synchronized (lock) {
            if (listener == null) {
                return;
            }
            stopListening();
        }
        faultHappened();
        List.copyOf(links).forEach(ProxyLink::reset);
    }

    @Override
    public void enable() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("proxy '" + name + "' is closed");
            }
            if (listener != null) {
                return;
            }
            try {
                listen(listenAddress);
            } catch (IOException e) {
                throw new IllegalStateException("proxy '" + name + "' cannot listen on " + listenAddress + " again: " + e, e);
            }
        }
    }

    @Override
    public Optional<ProxyCounters> counters() {
        return Optional.of(new ProxyCounters(connections.get(), upstreamForwarded.get(), downstreamForwarded.get(),
                dropped.get(), firstFault.get()));
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                stopListening();
            }
        }
        List.copyOf(links).forEach(ProxyLink::reset);
        onClose.accept(name);
    }

    // ------------------------------------------------------------------ what links report

    void forwarded(Direction direction, long bytes) {
        (direction == Direction.UPSTREAM ? upstreamForwarded : downstreamForwarded).addAndGet(bytes);
    }

    void dropped(long bytes) {
        dropped.addAndGet(bytes);
    }

    void faultHappened() {
        long now = System.nanoTime();
        firstFault.compareAndSet(0, now == 0 ? 1 : now);
    }

    void ended(ProxyLink link) {
        links.remove(link);
    }

    @Override
    public String toString() {
        return "LocalFaultProxy[" + name + " " + listenAddress + " -> " + upstream + ", " + links.size() + " open]";
    }
}
