package net.corosio.lab.overload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.corosio.lab.bench.ServerProcess;
import net.corosio.lab.bench.ServerSpec;
import net.corosio.lab.load.AcceptStorm;
import net.corosio.lab.load.HandshakeFlood;
import net.corosio.lab.load.HeldConnections;
import net.corosio.lab.load.SlowConsumers;
import net.corosio.lab.server.LabTls;
import net.corosio.lab.server.ResourceSnapshot;
import net.corosio.lab.server.ServerApp;

/**
 * The overload scenarios, each against a fresh echo server of one backend in its own JVM: an
 * accept storm, idle connections by the tens of thousands, slow consumers, and a TLS handshake
 * flood. Each samples the server's heap, RSS, descriptors and threads before, during and after,
 * and checks that it held — every client answered, memory within the configured limits — and that
 * nothing was left behind once the clients were gone.
 */
public final class OverloadRun {

    /** The scenarios, in the order they run. */
    public static final List<String> SCENARIOS = List.of("accept-storm", "idle-connections", "slow-consumers", "handshake-flood");

    /** Descriptors a JVM needs besides the connections (jars, epoll, pipes, the listener). */
    private static final int FD_RESERVE = 512;

    /** What may remain after a scenario: a few descriptors a JVM opens by itself. */
    private static final int FD_SLACK = 8;

    /**
     * Threads that may remain: a pool that grew under load keeps idle threads for a while (Jetty's
     * shrinks after a minute), which is not a leak; a thread per connection left behind is.
     */
    private static final int THREAD_SLACK = 32;

    /** Per connection, besides the inbound limit and the write high-water mark: the read buffer and bookkeeping. */
    private static final long PER_CONNECTION_OVERHEAD = 16 * 1024 + 32 * 1024;
    private static final long WRITE_HIGH_WATER_MARK = 64 * 1024;

    /** The server's kernel buffers in the slow-consumer scenario. */
    private static final int SLOW_CONSUMER_SOCKET_BUFFER = 16 * 1024;

    /** Connections made before the first snapshot, so lazily started I/O threads count as "before". */
    private static final int WARM_UP_CONNECTIONS = 16;

    private final OverloadOptions options;
    private final Path workDir;
    private final Consumer<String> progress;

    /**
     * Prepares the runs.
     *
     * @param options the sizes
     * @param workDir where server logs and the TLS key store go
     * @param progress receives a line per scenario
     */
    public OverloadRun(OverloadOptions options, Path workDir, Consumer<String> progress) {
        this.options = options;
        this.workDir = workDir;
        this.progress = progress;
    }

    /**
     * Runs each scenario on each backend.
     *
     * @param backends backend names
     * @param scenarios scenario names from {@link #SCENARIOS}
     * @return one result per backend and scenario
     * @throws InterruptedException if interrupted
     */
    public List<OverloadResult> run(List<String> backends, List<String> scenarios) throws InterruptedException {
        List<OverloadResult> results = new ArrayList<>();
        for (String backend : backends) {
            for (String scenario : scenarios) {
                progress.accept("overload: " + scenario + " on " + backend + " ...");
                OverloadResult result;
                try {
                    result = run(backend, scenario);
                } catch (IOException | RuntimeException e) {
                    result = new OverloadResult(backend, scenario, "failed", e.toString(), Map.of(), Map.of(), List.of(e.toString()));
                }
                progress.accept("  " + result.status() + (result.failures().isEmpty() ? "" : ": " + String.join("; ", result.failures())));
                results.add(result);
            }
        }
        return results;
    }

    private OverloadResult run(String backend, String scenario) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        boolean tls = scenario.equals("handshake-flood");
        List<String> extra = new ArrayList<>(List.of("--backlog", "1024"));
        if (scenario.equals("slow-consumers")) {
            // Small kernel buffers on the server too, so what the consumers hold back lands in the
            // backend's own buffers, whose bounds are the point, not in the kernel's.
            extra.addAll(List.of("--socket-buffer", Integer.toString(SLOW_CONSUMER_SOCKET_BUFFER)));
        }
        if (tls) {
            extra.addAll(List.of("--handshake-timeout", options.handshakeTimeout().toString()));
        }
        ServerSpec spec = new ServerSpec(backend, ServerApp.ECHO, 64, 0, "virtual", false,
                scenario.equals("slow-consumers") ? options.inboundLimit() : 0, Map.of(),
                tls ? LabTls.writeServerKeyStore(workDir).toString() : null, LabTls.KEY_STORE_PASSWORD, List.of(), extra);
        try (ServerProcess server = ServerProcess.fork(spec, workDir.resolve("overload-" + backend + "-" + scenario + ".log"))) {
            if (scenario.equals("idle-connections")) {
                String shortfall = descriptorShortfall(server.pid(), options.idleConnections());
                if (shortfall != null) {
                    return new OverloadResult(backend, scenario, "environment", shortfall, Map.of(), Map.of(), List.of());
                }
            }
            warmUp(server.address(), tls);
            ResourceSnapshot before = server.snapshot(true);
            Map<String, Object> figures;
            List<String> failures = new ArrayList<>();
            Map<String, Long> peak;
            try (ServerSampler sampler = new ServerSampler(server)) {
                figures = switch (scenario) {
                    case "accept-storm" -> acceptStorm(server, failures);
                    case "idle-connections" -> idle(server, before, failures);
                    case "slow-consumers" -> slowConsumers(server, before, failures);
                    case "handshake-flood" -> handshakeFlood(server, failures);
                    default -> throw new IllegalArgumentException("no overload scenario '" + scenario + "'; the scenarios are " + SCENARIOS);
                };
                peak = sampler.peak();
            }
            ResourceSnapshot after = settle(server, before);
            if (scenario.equals("handshake-flood")) {
                long counted = after.tlsHandshakeFailures() - before.tlsHandshakeFailures();
                figures.put("handshakeFailuresCounted", counted);
                if (counted < options.floodClients()) {
                    failures.add("the server counted " + counted + " failed handshakes of " + options.floodClients());
                }
            }
            leftBehind(before, after, failures);
            Map<String, Map<String, Long>> usage = new LinkedHashMap<>();
            usage.put("before", ServerSampler.figures(before));
            usage.put("peak", peak);
            usage.put("after", ServerSampler.figures(after));
            return new OverloadResult(backend, scenario, failures.isEmpty() ? "ok" : "failed",
                    failures.isEmpty() ? null : String.join("; ", failures), figures, usage, failures);
        }
    }

    private Map<String, Object> acceptStorm(ServerProcess server, List<String> failures) throws IOException {
        Map<String, Long> netBefore = Machine.listenCounters();
        Map<String, Object> figures = new LinkedHashMap<>(new AcceptStorm(server.address(), options.stormConnects(),
                options.sources(), Duration.ofSeconds(60)).run());
        Map<String, Long> netAfter = Machine.listenCounters();
        netAfter.forEach((name, value) -> figures.put(Character.toLowerCase(name.charAt(0)) + name.substring(1),
                value - netBefore.getOrDefault(name, value)));
        if ((long) figures.get("hung") > 0) {
            failures.add(figures.get("hung") + " connects neither served nor refused within 60 s");
        }
        if ((long) figures.get("unopened") > 0) {
            failures.add(figures.get("unopened") + " client sockets could not be opened (descriptor limit?)");
        }
        figures.put("servesAfter", servesAfter(server.address()));
        if (!(boolean) figures.get("servesAfter")) {
            failures.add("the server no longer echoes after the storm");
        }
        return figures;
    }

    private Map<String, Object> idle(ServerProcess server, ResourceSnapshot before, List<String> failures)
            throws IOException {
        int count = options.idleConnections();
        Map<String, Object> figures = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (HeldConnections held = HeldConnections.open(server.address(), count, options.sources(), Duration.ofSeconds(180))) {
            figures.put("held", (long) held.held());
            figures.put("failed", (long) held.failed());
            figures.put("openSeconds", (System.nanoTime() - t0) / 1e9);
            ResourceSnapshot holding = server.snapshot(true);
            double n = Math.max(1, held.held());
            figures.put("heapBytesPerConnection", (holding.heapUsedBytes() - before.heapUsedBytes()) / n);
            figures.put("rssBytesPerConnection", (holding.rssBytes() - before.rssBytes()) / n);
            figures.put("fdsHeld", holding.fds());
            if (held.held() < count) {
                failures.add("held " + held.held() + " of " + count + " connections");
            }
        }
        return figures;
    }

    private Map<String, Object> slowConsumers(ServerProcess server, ResourceSnapshot before, List<String> failures)
            throws IOException {
        int count = options.slowConsumers();
        Map<String, Object> figures = new LinkedHashMap<>();
        try (SlowConsumers consumers = SlowConsumers.connect(server.address(), count, options.sources(),
                options.slowConsumerBytes(), Duration.ofSeconds(60))) {
            figures.put("connected", (long) consumers.connected());
            long atStall = consumers.stall(Duration.ofSeconds(1), Duration.ofSeconds(30));
            figures.put("writtenAtStall", atStall);
            if (atStall >= count * options.slowConsumerBytes()) {
                failures.add("the consumers' whole stream fitted in the buffers before the stall: no backpressure was"
                        + " exercised (write more with --slow-consumer-bytes)");
            }
            ResourceSnapshot stalled = server.snapshot(true);
            // Live heap, and the direct memory the JDK and Netty count: where a backend keeps the bytes.
            long growth = stalled.heapUsedBytes() - before.heapUsedBytes() + offHeap(stalled) - offHeap(before);
            long bound = count * (options.inboundLimit() + WRITE_HIGH_WATER_MARK + PER_CONNECTION_OVERHEAD);
            figures.put("memoryGrowthAtStallBytes", growth);
            figures.put("heapGrowthAtStallBytes", stalled.heapUsedBytes() - before.heapUsedBytes());
            figures.put("directGrowthAtStallBytes", offHeap(stalled) - offHeap(before));
            figures.put("heapBoundBytes", bound);
            figures.put("rssGrowthAtStallBytes", stalled.rssBytes() - before.rssBytes());
            long t0 = System.nanoTime();
            figures.putAll(consumers.drain(Duration.ofSeconds(180)));
            figures.put("drainSeconds", (System.nanoTime() - t0) / 1e9);
            if (growth > bound) {
                failures.add("the server's live heap and direct memory grew by " + growth + " bytes with every consumer stalled, beyond the "
                        + bound + " its limits allow");
            }
            if ((long) figures.get("completed") < count) {
                failures.add(figures.get("completed") + " of " + count + " consumers got their whole echo");
            }
            if ((long) figures.get("damaged") > 0) {
                failures.add(figures.get("damaged") + " bytes lost, duplicated or corrupted");
            }
        }
        return figures;
    }

    private Map<String, Object> handshakeFlood(ServerProcess server, List<String> failures) throws IOException {
        Duration slack = Duration.ofSeconds(10);
        Map<String, Object> figures = new LinkedHashMap<>(new HandshakeFlood(server.address(), options.floodClients(),
                options.sources(), options.handshakeTimeout().plus(slack)).run());
        figures.put("handshakeTimeoutMillis", options.handshakeTimeout().toMillis());
        if ((long) figures.get("hung") > 0) {
            failures.add(figures.get("hung") + " silent clients still connected " + options.handshakeTimeout().plus(slack)
                    + " after the flood (handshake timeout " + options.handshakeTimeout() + ")");
        }
        if ((long) figures.get("unopened") > 0) {
            failures.add(figures.get("unopened") + " client sockets could not be opened");
        }
        return figures;
    }

    private static long offHeap(ResourceSnapshot s) {
        return Math.max(0, s.directBytes()) + Math.max(0, s.nettyDirectBytes());
    }

    /** Names the descriptor limit that is too low for {@code connections}, or returns null. */
    private String descriptorShortfall(long serverPid, int connections) {
        long need = connections + (long) FD_RESERVE;
        long lab = Machine.openFileLimit(-1);
        long server = Machine.openFileLimit(serverPid);
        if (lab >= need && server >= need) {
            return null;
        }
        return connections + " idle connections need about " + need + " file descriptors in the lab's JVM and in the"
                + " server's, but the open-files limit ('Max open files', ulimit -n) is " + Math.min(lab, server)
                + ": raise it (ulimit -n " + Math.max(65_536, need) + "; the hard limit is in /etc/security/limits.conf)"
                + " or ask for fewer with --idle-connections " + (Math.min(lab, server) - FD_RESERVE);
    }

    /** Waits until the server has let go of every connection, then takes a snapshot after a full GC. */
    private static ResourceSnapshot settle(ServerProcess server, ResourceSnapshot before)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ResourceSnapshot now = server.snapshot(false);
            if (now.connections() <= 0 && now.fds() <= before.fds() + FD_SLACK) {
                break;
            }
            Thread.sleep(100); // the server's count has no event to wait on
        }
        return server.snapshot(true);
    }

    private static void leftBehind(ResourceSnapshot before, ResourceSnapshot after, List<String> failures) {
        if (after.connections() > 0) {
            failures.add("the server still holds " + after.connections() + " connections after every client closed");
        }
        if (after.fds() > before.fds() + FD_SLACK) {
            failures.add("the server holds " + (after.fds() - before.fds()) + " more descriptors than before");
        }
        if (after.threads() > before.threads() + THREAD_SLACK) {
            failures.add("the server runs " + (after.threads() - before.threads()) + " more threads than before");
        }
    }

    /** A few connections first, so the server starts its I/O threads before the baseline is taken. */
    private static void warmUp(InetSocketAddress address, boolean tls) throws IOException {
        for (int i = 0; i < WARM_UP_CONNECTIONS; i++) {
            if (tls) {
                try (Socket socket = net.corosio.tck.TestCertificates.get().clientContext().getSocketFactory()
                        .createSocket(address.getAddress(), address.getPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write('w');
                    socket.getInputStream().read();
                }
            } else if (!servesAfter(address)) {
                throw new IOException("the server does not echo before the scenario");
            }
        }
    }

    private static boolean servesAfter(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(address, 10_000);
            socket.getOutputStream().write('a');
            return socket.getInputStream().read() == 'a';
        } catch (IOException e) {
            return false;
        }
    }
}
