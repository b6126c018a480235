package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ErrorKind;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.TransportMetrics;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Assumptions;

/**
 * One test's world: a fresh transport from the backend under test, the oracle's JDK sockets, the
 * test certificates, a seeded random source, and helpers that wait with deadlines. Everything made
 * through it is closed when the test ends, after which {@link #close()} checks that nothing
 * leaked. Not thread-safe except where a method says so.
 */
public final class Kit implements AutoCloseable {

    /** Property that fixes the random seed, to replay a failing run. */
    public static final String SEED_PROPERTY = "corosio.tck.seed";

    /** Property that multiplies every timeout the kit uses. */
    public static final String TIME_SCALE_PROPERTY = "corosio.tck.timeScale";

    /** The loopback address every test uses. */
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static final double TIME_SCALE = Double.parseDouble(System.getProperty(TIME_SCALE_PROPERTY, "1"));
    private static final long SEED = Long.getLong(SEED_PROPERTY, System.nanoTime());
    /**
     * Property that sets the kit's default wait (an ISO-8601 duration, {@code PT10S} unless set;
     * scaled like every other wait): how long the kit waits for what must happen promptly before it
     * fails. The kit's self-test shortens it, because it waits for failures.
     */
    public static final String WAIT_PROPERTY = "corosio.tck.wait";

    private static final Duration DEFAULT_WAIT = scaled(Duration.parse(System.getProperty(WAIT_PROPERTY, "PT10S")));

    static {
        JvmWarmUp.run();
    }

    private final TransportProvider provider;
    private final TransportConfig config;
    private final Executor handlerExecutor;
    private final Transport transport;
    private final String testName;
    private final Random random;
    private final LeakCheck baseline;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<Thread> forks = new ArrayList<>();

    private Kit(TransportProvider provider, TransportConfig config, Executor handlerExecutor, String testName)
            throws TransportException {
        this.provider = provider;
        this.config = config;
        this.handlerExecutor = handlerExecutor;
        this.testName = testName;
        this.random = new Random(SEED ^ testName.hashCode());
        this.baseline = LeakCheck.baseline();
        this.transport = provider.create(config);
    }

    /**
     * Opens a kit for one test.
     *
     * @param provider the backend under test
     * @param config its settings
     * @param handlerExecutor where the test's servers run handlers unless the test chooses
     * @param testName the test's name, which also varies the random seed
     * @return the kit
     * @throws TransportException if the backend cannot start
     */
    static Kit open(TransportProvider provider, TransportConfig config, Executor handlerExecutor, String testName)
            throws TransportException {
        return new Kit(provider, config, handlerExecutor, testName);
    }

    /**
     * Returns the settings this test's transport was created with, for a test that needs a
     * transport of its own (with other settings).
     *
     * @return the backend's configuration under test
     */
    public TransportConfig config() {
        return config;
    }

    /**
     * Returns where this kit's servers run their handlers unless a test chooses.
     *
     * @return the handler executor
     */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /**
     * Returns {@code options} with the kit's handler executor, unless they name an executor other
     * than the default: every server a test starts runs in the kit's mode.
     *
     * @param options a test's server options
     * @return the options to serve with
     */
    public ServerOptions inKitMode(ServerOptions options) {
        return options.handlerExecutor() == HandlerExecutors.virtualThreads()
                ? options.toBuilder().handlerExecutor(handlerExecutor).build()
                : options;
    }

    /**
     * Returns the random seed of this JVM's run.
     *
     * @return the seed
     */
    public static long seed() {
        return SEED;
    }

    /**
     * Multiplies a duration by the time scale.
     *
     * @param duration the nominal duration
     * @return the duration to use on this machine
     */
    public static Duration scaled(Duration duration) {
        return Duration.ofNanos((long) (duration.toNanos() * TIME_SCALE));
    }

    /**
     * Returns the default deadline for waits that should finish promptly.
     *
     * @return the deadline
     */
    public static Duration defaultWait() {
        return DEFAULT_WAIT;
    }

    // ------------------------------------------------------------------ the backend

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    public TransportProvider provider() {
        return provider;
    }

    /**
     * Returns this test's transport.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Skips the test unless the backend declares the capability.
     *
     * @param capability what the rule needs
     */
    public void assumeCapability(Capability capability) {
        Assumptions.assumeTrue(provider.capabilities().contains(capability),
                "backend '" + provider.name() + "' does not declare capability " + capability);
    }

    /**
     * Starts a server on the loopback address with default options.
     *
     * @param handler the handler
     * @return the server, closed when the test ends
     * @throws TransportException if it cannot start
     */
    public Server serve(ConnectionHandler handler) throws TransportException {
        return serve(ServerOptions.defaults(), handler);
    }

    /**
     * Starts a server on the loopback address.
     *
     * @param options the options
     * @param handler the handler
     * @return the server, closed when the test ends
     * @throws TransportException if it cannot start
     */
    public Server serve(ServerOptions options, ConnectionHandler handler) throws TransportException {
        return track(transport.serve(new InetSocketAddress(LOOPBACK, 0), inKitMode(options), handler));
    }

    /**
     * Connects through the backend with default options.
     *
     * @param address where to connect
     * @return the connection, aborted when the test ends
     * @throws TransportException if it fails
     */
    public Connection connect(InetSocketAddress address) throws TransportException {
        return connect(address, ClientOptions.defaults());
    }

    /**
     * Connects through the backend.
     *
     * @param address where to connect
     * @param options the options
     * @return the connection, aborted when the test ends
     * @throws TransportException if it fails
     */
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        return track(transport.connect(address, options));
    }

    // ------------------------------------------------------------------ the oracle

    /**
     * Returns the test certificates.
     *
     * @return the certificates
     */
    public TestCertificates certs() {
        return TestCertificates.get();
    }

    /**
     * Opens a JDK server socket on the loopback address, closed when the test ends.
     *
     * @return the server socket
     * @throws IOException if it cannot bind
     */
    public ServerSocket oracleServer() throws IOException {
        ServerSocket server = track(new ServerSocket(0, 50, LOOPBACK));
        server.setSoTimeout((int) DEFAULT_WAIT.toMillis());
        return server;
    }

    /**
     * Opens a JDK TLS server socket on the loopback address, closed when the test ends.
     *
     * @param context the server's keys
     * @param protocols the protocols to enable, or none for the context's defaults
     * @return the server socket
     * @throws IOException if it cannot bind
     */
    public SSLServerSocket oracleTlsServer(SSLContext context, String... protocols) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
        track(server);
        server.setSoTimeout((int) DEFAULT_WAIT.toMillis());
        if (protocols.length > 0) {
            server.setEnabledProtocols(protocols);
        }
        return server;
    }

    /**
     * Connects a JDK socket, with a read timeout of {@link #defaultWait()}; closed when the test
     * ends.
     *
     * @param address where to connect
     * @return the socket
     * @throws IOException if it cannot connect
     */
    public Socket oracleConnect(InetSocketAddress address) throws IOException {
        return oracleConnect(address, 0);
    }

    /**
     * Connects a JDK socket with a small receive buffer (set before connecting, so the TCP window
     * honours it); closed when the test ends.
     *
     * @param address where to connect
     * @param receiveBuffer {@code SO_RCVBUF}, or 0 for the default
     * @return the socket
     * @throws IOException if it cannot connect
     */
    public Socket oracleConnect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = track(new Socket());
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) DEFAULT_WAIT.toMillis());
        socket.connect(address, (int) DEFAULT_WAIT.toMillis());
        return socket;
    }

    /**
     * Connects a JDK TLS socket and completes its handshake; closed when the test ends.
     *
     * @param address where to connect
     * @param context the client's trust (and keys)
     * @param protocols the protocols to enable, or none for the context's defaults
     * @return the socket
     * @throws IOException if it cannot connect or the handshake fails
     */
    public SSLSocket oracleTlsConnect(InetSocketAddress address, SSLContext context, String... protocols)
            throws IOException {
        Socket plain = oracleConnect(address);
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, address.getHostString(), address.getPort(), true);
        track(socket);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.startHandshake();
        return socket;
    }

    /**
     * Accepts one connection on an oracle server socket (waiting up to its timeout), with {@code
     * TCP_NODELAY} set; closed when the test ends.
     *
     * @param server the server socket
     * @return the accepted socket
     * @throws IOException if none arrives in time
     */
    public Socket accept(ServerSocket server) throws IOException {
        Socket socket = track(server.accept());
        socket.setSoTimeout((int) DEFAULT_WAIT.toMillis());
        // Each write its own segment, as on the sockets the oracle connects: without it, Nagle
        // merges the one-byte writes the framing rules are about.
        socket.setTcpNoDelay(true);
        return socket;
    }

    // ------------------------------------------------------------------ randomness

    /**
     * Returns this test's random source, seeded from {@link #seed()} and the test's name.
     *
     * @return the random source
     */
    public Random random() {
        return random;
    }

    /**
     * Returns {@code size} random bytes.
     *
     * @param size how many
     * @return the bytes
     */
    public byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    // ------------------------------------------------------------------ time and threads

    /**
     * Runs {@code task} on a new virtual thread. The thread is interrupted and joined when the
     * test ends; one that does not stop fails the test.
     *
     * @param name the thread's name, for diagnostics
     * @param task the work
     * @param <T> the result type
     * @return the task's future
     */
    public <T> Future<T> fork(String name, Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("kit-" + name).unstarted(() -> {
            try {
                future.complete(task.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        synchronized (forks) {
            forks.add(thread);
        }
        thread.start();
        return future;
    }

    /**
     * Waits for a forked task, up to {@link #defaultWait()}.
     *
     * @param future the task
     * @param <T> the result type
     * @return its result
     * @throws Exception what the task threw
     */
    public static <T> T await(Future<T> future) throws Exception {
        return await(future, DEFAULT_WAIT);
    }

    /**
     * Waits for a forked task.
     *
     * @param future the task
     * @param limit how long to wait
     * @param <T> the result type
     * @return its result
     * @throws Exception what the task threw
     */
    public static <T> T await(Future<T> future, Duration limit) throws Exception {
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return fail("a task did not finish within " + limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Polls {@code condition} until it holds, failing after {@link #defaultWait()}.
     *
     * @param what describes the condition, for the failure message
     * @param condition the condition
     */
    public static void eventually(String what, BooleanSupplier condition) {
        eventually(what, DEFAULT_WAIT, condition);
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code limit}.
     *
     * @param what describes the condition, for the failure message
     * @param limit how long to wait
     * @param condition the condition
     */
    public static void eventually(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
            pause = Math.min(pause * 2, 20);
        }
    }

    /**
     * Asserts that a call fails with a {@link TransportException} of the given kind.
     *
     * @param kind the expected kind
     * @param call the call
     * @return the exception, for further checks
     */
    public static TransportException expectFailure(ErrorKind kind, org.junit.jupiter.api.function.Executable call) {
        TransportException e = assertThrows(TransportException.class, call,
                "expected a TransportException of kind " + kind);
        assertEquals(kind, e.kind(), () -> "wrong kind; the exception was: " + e);
        return e;
    }

    /**
     * Registers something to close when the test ends (in reverse order of registration).
     *
     * @param resource the resource
     * @param <T> its type
     * @return {@code resource}
     */
    public <T extends AutoCloseable> T track(T resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    // ------------------------------------------------------------------ the end

    /**
     * Closes everything the test made, stops its threads, closes the transport, and fails if any
     * socket, descriptor, thread or tracked connection remains.
     */
    @Override
    public void close() throws Exception {
        List<Throwable> problems = new ArrayList<>();
        closeResources(problems);
        stopForks(problems);
        try {
            eventually("the transport to hold no connections or servers after the test closed them (seed "
                    + SEED + ")", () -> {
                TransportMetrics m = transport.metrics();
                return m.openConnections() == 0 && m.openServers() == 0;
            });
        } catch (AssertionError e) {
            problems.add(new AssertionError(e.getMessage() + ": " + transport.metrics()));
        }
        LentBuffersCheck.verify(transport, testName, problems);
        transport.close();
        try {
            eventually("nothing to leak", () -> baseline.leaks().isEmpty());
        } catch (AssertionError e) {
            problems.add(new AssertionError("leaked after " + testName + ": " + baseline.leaks()));
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError("the test did not clean up: " + problems.getFirst().getMessage());
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void closeResources(List<Throwable> problems) {
        while (true) {
            AutoCloseable resource;
            synchronized (resources) {
                resource = resources.poll();
            }
            if (resource == null) {
                return;
            }
            try {
                if (resource instanceof Connection connection) {
                    connection.abort();
                } else if (resource instanceof Socket socket && !socket.isClosed()) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } else {
                    resource.close();
                }
            } catch (Exception e) {
                if (!(resource instanceof Socket)) {
                    problems.add(e);
                }
            }
        }
    }

    private void stopForks(List<Throwable> problems) throws InterruptedException {
        List<Thread> threads;
        synchronized (forks) {
            threads = List.copyOf(forks);
        }
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
        for (Thread thread : threads) {
            long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!thread.join(Duration.ofMillis(remaining))) {
                problems.add(new AssertionError("thread " + thread.getName()
                        + " is still blocked after the test closed everything: " + stackOf(thread)));
            }
        }
    }

    private static String stackOf(Thread thread) {
        StringBuilder trace = new StringBuilder();
        for (StackTraceElement element : thread.getStackTrace()) {
            trace.append("\n\tat ").append(element);
        }
        return trace.toString();
    }

    @Override
    public String toString() {
        return "Kit[" + provider.name() + ", " + testName + ", seed " + SEED + "]";
    }
}
