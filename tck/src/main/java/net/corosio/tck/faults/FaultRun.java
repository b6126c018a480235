package net.corosio.tck.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.tck.Kit;
import net.corosio.tck.TestCertificates;

/**
 * Runs {@link FaultScenario}s against one transport: for each, a proxy from the {@link
 * FaultInjector} between the transport and a JDK socket, a greeting both ways, the fault put on
 * the path, a checksummed stream the fault's way, and a {@link FaultOutcome}. Every scenario is
 * bounded by {@link #DEADLINE} and closes everything it opened; a transport left holding a
 * connection afterwards shows in {@link FaultOutcome#leftOpen()}.
 *
 * <p>Used by the kit's fault rules and by the lab's {@code corosio faults}. One scenario at a time.
 */
public final class FaultRun {

    /** The stream's length. */
    public static final int STREAM_BYTES = 256 * 1024;

    /** The read timeout of the transport's connection in a black hole scenario (none otherwise). */
    public static final Duration BLACK_HOLE_READ_TIMEOUT = Duration.ofSeconds(1);

    /** The most one scenario may take before it is stopped and recorded as {@link FaultOutcome#HUNG}. */
    public static final Duration DEADLINE = Kit.scaled(Duration.ofSeconds(20));

    /** How long the transport has to stop counting a scenario's connections once they are closed. */
    private static final Duration SETTLE = Kit.scaled(Duration.ofSeconds(2));

    private final Transport transport;
    private final FaultInjector injector;
    private final Executor handlerExecutor;
    private final long seed;
    private final TestCertificates certs = TestCertificates.get();
    private final AtomicLong runs = new AtomicLong();

    /**
     * Prepares scenarios on a transport.
     *
     * @param transport the transport under test
     * @param injector where the proxies come from
     * @param handlerExecutor the executor the transport's servers run handlers on, or {@code null}
     *     for its default
     * @param seed varies the stream's write sizes; a run is replayed with the same seed
     */
    public FaultRun(Transport transport, FaultInjector injector, Executor handlerExecutor, long seed) {
        this.transport = transport;
        this.injector = injector;
        this.handlerExecutor = handlerExecutor;
        this.seed = seed;
    }

    /**
     * Runs one scenario.
     *
     * @param scenario the scenario
     * @return what it showed
     * @throws IllegalArgumentException if the scenario does not {@linkplain FaultScenario#applies apply}
     * @throws IOException if the proxy or the JDK end cannot be set up
     * @throws InterruptedException if interrupted while waiting
     */
    public FaultOutcome run(FaultScenario scenario) throws IOException, InterruptedException {
        if (!scenario.applies()) {
            throw new IllegalArgumentException("the scenario does not apply: " + scenario.label());
        }
        long openBefore = transport.metrics().openConnections();
        long number = runs.incrementAndGet();
        FaultOutcome outcome;
        try (Cell cell = new Cell(scenario, number)) {
            outcome = cell.run();
        }
        long leftOpen = settle(openBefore);
        return leftOpen == 0 ? outcome : withLeftOpen(outcome, leftOpen);
    }

    private long settle(long openBefore) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long pause = 1;
        while (true) {
            long left = transport.metrics().openConnections() - openBefore;
            if (left <= 0 || System.nanoTime() > deadline) {
                return Math.max(0, left);
            }
            Thread.sleep(pause); // the transport's count has no event to wait on
            pause = Math.min(pause * 2, 50);
        }
    }

    private static FaultOutcome withLeftOpen(FaultOutcome o, long leftOpen) {
        return new FaultOutcome(o.outcome(), o.peerOutcome(), o.detectMillis(), o.elapsedMillis(), o.sent(),
                o.forwarded(), o.received(), o.delivered(), o.lost(), o.duplicated(), o.corrupted(), leftOpen, o.detail());
    }

    private ConnectionOptions connectionOptions(FaultScenario scenario) {
        ConnectionOptions.Builder options = ConnectionOptions.builder();
        if (scenario.fault() == PathFault.TIMEOUT) {
            options.readTimeout(BLACK_HOLE_READ_TIMEOUT);
        }
        return options.build();
    }

    /** One scenario's resources and threads; closing it releases them all. */
    private final class Cell implements AutoCloseable {
        private final FaultScenario scenario;
        private final String name;
        private final Deque<AutoCloseable> resources = new ArrayDeque<>();
        private final CountDownLatch ready = new CountDownLatch(2);
        private final CountDownLatch go = new CountDownLatch(1);
        private final CompletableFuture<StreamScript.Result> mine = new CompletableFuture<>();
        private final CompletableFuture<StreamScript.Result> theirs = new CompletableFuture<>();
        private final Random random;
        private volatile boolean abandoned;

        Cell(FaultScenario scenario, long number) {
            this.scenario = scenario;
            this.name = "fault-" + number;
            this.random = new Random(seed ^ number);
        }

        FaultOutcome run() throws IOException, InterruptedException {
            FaultProxy proxy = scenario.role() == FaultScenario.Role.SERVER ? serveTheTransport() : serveTheJdk();
            if (scenario.fault() == PathFault.DOWN) {
                return connectWhileDown(proxy);
            }
            if (!ready.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                return setupFailed(FaultOutcome.HUNG, "the greeting did not complete within " + DEADLINE);
            }
            if (mine.isDone() || theirs.isDone()) { // a greeting failed
                StreamScript.Result failed = mine.isDone() ? mine.join() : theirs.join();
                return setupFailed((mine.isDone() ? "setup: " : "setup (JDK end): ") + failed.outcome(), failed.detail());
            }
            long toxicAdded = System.nanoTime();
            proxy.addToxic("fault", scenario.direction(), scenario.fault().toxic());
            long start = System.nanoTime();
            go.countDown();
            StreamScript.Result transportSide = await(mine);
            StreamScript.Result jdkSide = await(theirs);
            Optional<ProxyCounters> after = proxy.counters();
            return outcome(transportSide, jdkSide, after, toxicAdded, start);
        }

        /** The transport serves; a JDK socket connects through the proxy. */
        private FaultProxy serveTheTransport() throws IOException {
            ServerOptions.Builder options = ServerOptions.builder().connection(connectionOptions(scenario));
            if (handlerExecutor != null) {
                options.handlerExecutor(handlerExecutor);
            }
            if (scenario.tls()) {
                options.tls(TlsConfig.builder(certs.serverContext()).build());
            }
            Server server = track(transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    options.build(), connection -> side(mine, Endpoint.of(connection), false)));
            FaultProxy proxy = track(injector.proxy(name, server.localAddress()));
            Thread.ofVirtual().name(name + "-jdk-client").start(() -> {
                try {
                    Socket socket = track(new Socket());
                    socket.setSoTimeout((int) DEADLINE.toMillis());
                    socket.setTcpNoDelay(true);
                    socket.connect(proxy.listenAddress(), (int) DEADLINE.toMillis());
                    if (scenario.tls()) {
                        InetSocketAddress at = proxy.listenAddress();
                        socket = track(certs.clientContext().getSocketFactory()
                                .createSocket(socket, at.getHostString(), at.getPort(), true));
                    }
                    side(theirs, Endpoint.of(socket), true);
                } catch (IOException e) {
                    setupFailure(theirs, e);
                }
            });
            return proxy;
        }

        /** A JDK server socket serves; the transport connects through the proxy. */
        private FaultProxy serveTheJdk() throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocket oracle = track(scenario.tls()
                    ? certs.serverContext().getServerSocketFactory().createServerSocket(0, 50, loopback)
                    : new ServerSocket(0, 50, loopback));
            oracle.setSoTimeout((int) DEADLINE.toMillis());
            FaultProxy proxy = track(injector.proxy(name, (InetSocketAddress) oracle.getLocalSocketAddress()));
            if (scenario.fault() == PathFault.DOWN) {
                return proxy;
            }
            Thread.ofVirtual().name(name + "-jdk-server").start(() -> {
                try {
                    Socket socket = track(oracle.accept());
                    socket.setSoTimeout((int) DEADLINE.toMillis());
                    socket.setTcpNoDelay(true);
                    side(theirs, Endpoint.of(socket), false);
                } catch (IOException e) {
                    setupFailure(theirs, e);
                }
            });
            Thread.ofVirtual().name(name + "-transport-client").start(() -> {
                try {
                    side(mine, Endpoint.of(track(transport.connect(proxy.listenAddress(), clientOptions()))), true);
                } catch (IOException e) {
                    setupFailure(mine, e);
                }
            });
            return proxy;
        }

        private ClientOptions clientOptions() {
            ClientOptions.Builder options = ClientOptions.builder().connection(connectionOptions(scenario));
            if (scenario.tls()) {
                options.tls(TlsConfig.builder(certs.clientContext()).build());
            }
            return options.build();
        }

        /** One end: greet, wait for the fault, then send or receive the stream. */
        private void side(CompletableFuture<StreamScript.Result> result, Endpoint end, boolean client) {
            try {
                if (client) {
                    StreamScript.greetAsClient(end);
                } else {
                    StreamScript.greetAsServer(end);
                }
            } catch (IOException | RuntimeException e) {
                end.abort();
                setupFailure(result, e);
                return;
            }
            ready.countDown();
            try {
                if (!go.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    end.abort();
                    result.complete(new StreamScript.Result(FaultOutcome.HUNG, System.nanoTime(), 0, null, "no go"));
                    return;
                }
            } catch (InterruptedException e) {
                end.abort();
                result.complete(new StreamScript.Result("interrupted", System.nanoTime(), 0, null, null));
                return;
            }
            if (abandoned) {
                end.abort();
                result.complete(new StreamScript.Result(FaultOutcome.HUNG, System.nanoTime(), 0, null, "abandoned"));
                return;
            }
            boolean sends = client == (scenario.direction() == Direction.UPSTREAM);
            result.complete(sends ? StreamScript.send(end, STREAM_BYTES, random) : StreamScript.receive(end, STREAM_BYTES));
        }

        private void setupFailure(CompletableFuture<StreamScript.Result> result, Exception e) {
            result.complete(new StreamScript.Result(StreamScript.classify(e), System.nanoTime(), 0, null, e.toString()));
            ready.countDown();
        }

        private FaultOutcome connectWhileDown(FaultProxy proxy) {
            proxy.disable();
            long start = System.nanoTime();
            String outcome;
            String detail = null;
            try {
                track(transport.connect(proxy.listenAddress(), clientOptions())).abort();
                outcome = "connected";
            } catch (TransportException e) {
                outcome = e.kind().name();
                detail = e.getMessage();
            }
            double millis = (System.nanoTime() - start) / 1e6;
            return new FaultOutcome(outcome, "-", millis, millis, 0, -1, 0, 0, 0, 0, 0, 0, detail);
        }

        private StreamScript.Result await(CompletableFuture<StreamScript.Result> side) throws InterruptedException {
            try {
                return side.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return new StreamScript.Result(FaultOutcome.HUNG, System.nanoTime(), 0, null,
                        "no outcome within " + DEADLINE);
            } catch (ExecutionException e) {
                return new StreamScript.Result("error", System.nanoTime(), 0, null, String.valueOf(e.getCause()));
            }
        }

        private FaultOutcome outcome(StreamScript.Result transportSide, StreamScript.Result jdkSide,
                Optional<ProxyCounters> after, long toxicAdded, long start) {
            boolean transportSends = scenario.transportSends();
            StreamScript.Result sender = transportSends ? transportSide : jdkSide;
            StreamScript.Result receiver = transportSends ? jdkSide : transportSide;
            StreamCheck check = receiver.check() == null ? new StreamCheck() : receiver.check();
            // Each way carried exactly one greeting byte before the fault (counting at that moment
            // would race with the proxy's own count of the greeting's write).
            long forwarded = after.map(c -> c.forwarded(scenario.direction()) - StreamScript.GREETING_BYTES).orElse(-1L);
            long firstFault = after.map(ProxyCounters::firstFaultNanos).orElse(0L);
            long faultAt = firstFault != 0 ? firstFault : after.isPresent() ? start : toxicAdded;
            long tail = 0;
            if (receiver.outcome().equals(FaultOutcome.SUCCESS)) {
                tail = sender.sent() - check.received();
            } else if (receiver.outcome().equals(FaultOutcome.END_OF_STREAM) && !scenario.tls() && forwarded >= 0) {
                tail = forwarded - check.received();
            }
            String detail = transportSide.detail() != null ? transportSide.detail() : jdkSide.detail();
            return new FaultOutcome(transportSide.outcome(), jdkSide.outcome(),
                    (transportSide.atNanos() - faultAt) / 1e6, (transportSide.atNanos() - start) / 1e6,
                    sender.sent(), forwarded, check.received(), check.delivered(), check.lost() + Math.max(0, tail),
                    check.duplicated(), check.corrupted(), 0, detail);
        }

        private FaultOutcome setupFailed(String outcome, String detail) {
            return new FaultOutcome(outcome, theirs.isDone() ? theirs.join().outcome() : "-", 0, 0, 0, -1, 0, 0, 0, 0, 0, 0,
                    detail);
        }

        private <T extends AutoCloseable> T track(T resource) {
            synchronized (resources) {
                resources.push(resource);
            }
            return resource;
        }

        @Override
        public void close() {
            abandoned = true;
            go.countDown(); // a side still waiting for the fault gives up
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
                    } else if (resource instanceof Socket socket) {
                        Endpoint.of(socket).abort();
                    } else {
                        resource.close();
                    }
                } catch (Exception e) {
                    // closing what a scenario opened; what stays open shows in leftOpen
                }
            }
        }
    }
}
