package net.corosio.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ErrorKind;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.ErrorClassifier;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.LoopCarrier;
import net.corosio.spi.TimerThread;
import net.corosio.spi.TlsEngines;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nio transport: one acceptor loop for every server's listener, a few I/O loops that
 * connections are spread across (round-robin), and one timer thread for every connection's
 * timeouts. Its platform threads are {@code corosio-nio-<n>-accept}, {@code
 * corosio-nio-<n>-io-<i>} and {@code corosio-nio-<n>-timer}, all stopped by {@link #close()}.
 */
final class NioTransport extends AbstractTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NioTransport.class);

    /** How long closing waits for each loop's thread to end. */
    private static final Duration LOOP_EXIT_WAIT = Duration.ofSeconds(5);

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String prefix;
    private final TimerThread timer;
    private final SelectorLoop acceptor;
    private final SelectorLoop[] io;
    private final AtomicInteger nextIo = new AtomicInteger();
    private final AtomicInteger nextCarried = new AtomicInteger();
    private volatile SelectorLoop[] carried; // made on first use, by the first server whose handlers they carry
    private final TrafficCounter clientTraffic = new TrafficCounter();
    private final InboundChunks chunks = new InboundChunks();

    /**
     * Opens the selectors and starts the threads.
     *
     * @param capabilities what the provider declares
     * @param ioThreads the number of I/O loops, at least 1
     * @throws IOException if a selector cannot be opened (nothing is left running)
     */
    NioTransport(Set<Capability> capabilities, int ioThreads) throws IOException {
        super(NioTransportProvider.NAME, capabilities);
        prefix = "corosio-nio-" + INSTANCES.incrementAndGet() + "-";
        List<SelectorLoop> opened = new ArrayList<>();
        try {
            acceptor = new SelectorLoop(prefix + "accept");
            opened.add(acceptor);
            io = new SelectorLoop[ioThreads];
            for (int i = 0; i < ioThreads; i++) {
                io[i] = new SelectorLoop(prefix + "io-" + i);
                opened.add(io[i]);
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(SelectorLoop::closeUnstarted);
            throw e;
        }
        timer = new TimerThread(prefix + "timer");
        opened.forEach(SelectorLoop::start);
    }

    TimerThread timer() {
        return timer;
    }

    private SelectorLoop nextIoLoop() {
        return io[Math.floorMod(nextIo.getAndIncrement(), io.length)];
    }

    /**
     * Returns the next loop for a server's new connection: a carried loop when the server runs its
     * handlers on the event loops, else a loop of its own thread.
     */
    private SelectorLoop loopFor(ServerOptions options) {
        if (!HandlerExecutors.isEventLoop(options.handlerExecutor())) {
            return nextIoLoop();
        }
        SelectorLoop[] loops = carriedLoops();
        return loops[Math.floorMod(nextCarried.getAndIncrement(), loops.length)];
    }

    /**
     * Returns the loop for a client connection: the caller's own loop when it runs on a carried
     * loop's carrier (a handler connecting onwards, as a proxy does), so both connections share one
     * thread; else the next loop of its own thread.
     */
    private SelectorLoop loopForCaller() {
        SelectorLoop[] loops = carried;
        if (loops != null && Thread.currentThread().isVirtual()) {
            for (SelectorLoop loop : loops) {
                if (loop.carrier().isCurrent()) {
                    return loop;
                }
            }
        }
        return nextIoLoop();
    }

    @Override
    protected List<LoopCarrier> carriers() {
        SelectorLoop[] loops = carried;
        return loops == null ? List.of() : Arrays.stream(loops).map(SelectorLoop::carrier).toList();
    }

    /** The loops that carry handlers: as many as the others, each on a {@link LoopCarrier} of its own. */
    private SelectorLoop[] carriedLoops() {
        SelectorLoop[] loops = carried;
        if (loops != null) {
            return loops;
        }
        synchronized (this) {
            if (carried == null) {
                ensureOpen();
                SelectorLoop[] made = new SelectorLoop[io.length];
                try {
                    for (int i = 0; i < made.length; i++) {
                        made[i] = new SelectorLoop(prefix + "carrier-" + i, true);
                    }
                } catch (IOException e) {
                    for (SelectorLoop loop : made) {
                        if (loop != null) {
                            loop.closeUnstarted();
                        }
                    }
                    throw new UncheckedIOException("nio: cannot open the carried loops' selectors", e);
                }
                for (SelectorLoop loop : made) {
                    loop.start();
                }
                carried = made;
            }
            return carried;
        }
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException {
        return serveOnListener(address, options, handler, listener -> {
            listener.configureBlocking(false);
            if (HandlerExecutors.isEventLoop(options.handlerExecutor())) {
                try {
                    carriedLoops();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            return new NioServer(this, acceptor, listener, options, handler);
        });
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        if (Thread.currentThread().isInterrupted()) {
            throw new TransportException(ErrorKind.CANCELLED,
                    "connect to " + address + " failed: the calling thread is interrupted");
        }
        InetSocketAddress target = JdkSockets.resolve(address, "connect to");
        SelectorLoop loop = loopForCaller();
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            JdkSockets.configureClient(channel, options.connection().socket());
            if (options.localAddress() != null) {
                channel.bind(options.localAddress());
            }
        } catch (IOException e) {
            JdkSockets.closeQuietly(channel);
            throw new TransportException(ErrorClassifier.classify(e, ErrorKind.IO),
                    "connect to " + address + " failed: " + e.getMessage(), e);
        }
        PendingConnect pending = new PendingConnect(loop, channel);
        SelectionKey key = pending.connect(target, options.connectTimeout(), address);
        NioConnection connection;
        try {
            SSLEngine engine = options.tls() == null ? null : TlsEngines.client(options.tls(), address);
            connection = NioConnection.create(
                    loop, channel, chunks, false, options.connection(), engine, timer, clientTraffic);
        } catch (IOException | RuntimeException e) {
            pending.abandon();
            throw new TransportException(ErrorClassifier.classify(e, ErrorKind.IO),
                    "connect to " + address + " failed: " + e.getMessage(), e);
        }
        connection.untrackWith(track(connection, connection.state()));
        connection.start(key);
        connection.awaitHandshake();
        return connection;
    }

    /**
     * Makes a connection of an accepted socket and puts it on an I/O loop.
     *
     * @return the connection, or {@code null} if the socket could not be set up (it is closed)
     */
    NioConnection adopt(SocketChannel channel, ServerOptions options, TrafficCounter traffic) {
        try {
            channel.configureBlocking(false);
            JdkSockets.configureAccepted(channel, options.connection().socket());
            SSLEngine engine = options.tls() == null ? null : TlsEngines.server(options.tls());
            NioConnection connection = NioConnection.create(
                    loopFor(options), channel, chunks, true, options.connection(), engine, timer, traffic);
            connection.untrackWith(track(connection, connection.state()));
            connection.start(null);
            return connection;
        } catch (IOException | RuntimeException e) {
            LOG.debug("nio: dropping an accepted connection that failed to set up", e);
            JdkSockets.closeQuietly(channel);
            return null;
        }
    }

    /**
     * Waits for a loop to finish a task, ignoring interrupts (and keeping the caller's interrupt
     * status): used where the caller must not go on before the loop has closed something.
     *
     * @return whether the task completed in time
     */
    static boolean awaitUninterruptibly(CompletableFuture<?> done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return true;
                } catch (TimeoutException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the loops (each runs its queued tasks and releases its channels first), then the timer. */
    @Override
    protected void closeResources() {
        List<SelectorLoop> loops = new ArrayList<>(List.of(io));
        loops.add(acceptor);
        synchronized (this) {
            if (carried != null) {
                loops.addAll(List.of(carried));
            }
        }
        loops.forEach(SelectorLoop::shutdown);
        for (SelectorLoop loop : loops) {
            loop.awaitTermination(LOOP_EXIT_WAIT);
        }
        timer.close();
    }
}
