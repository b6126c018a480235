package net.corosio.lab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import net.corosio.lab.load.IdleLoad;
import net.corosio.lab.load.Load;
import net.corosio.lab.load.LoadStats;
import net.corosio.lab.server.ClassHistogram;
import net.corosio.lab.server.LabTls;
import net.corosio.lab.server.ResourceSnapshot;
import net.corosio.lab.server.ServerApp;
import net.corosio.lab.server.ServerMain;
import net.corosio.spi.VirtualThreadInternals;
import net.corosio.tck.TestCertificates;

/**
 * Runs one scenario against one implementation: starts the server (in its own JVM by default),
 * drives it with the scenario's load, warms up, measures a window, and reads the server's resource
 * counters at both ends of the window.
 */
public final class BenchRunner {

    /**
     * The prefix of an implementation name that is an external server: {@code target:HOST:PORT}, or
     * {@code target:HOST:PORT,control=HOST:PORT} for one started by {@code corosio serve}, whose
     * control port gives its resource figures.
     */
    public static final String EXTERNAL = "target:";

    private static final String CONTROL = ",control=";

    private final BenchOptions options;
    private final Path workDir;
    private final Consumer<String> progress;

    /**
     * Creates a runner.
     *
     * @param options the run's knobs
     * @param workDir where server logs (and TLS key stores) go
     * @param progress receives a line per step, for long runs
     */
    public BenchRunner(BenchOptions options, Path workDir, Consumer<String> progress) {
        this.options = options;
        this.workDir = workDir;
        this.progress = progress;
    }

    /**
     * Runs {@code scenario} on {@code label}.
     *
     * @param scenario what to run
     * @param label a backend name (with {@code @executor} to override the options' executor), a
     *     native baseline, or an external target ({@link #external}); see {@link Subject}
     * @return the result; a failure is a result too, with its reason
     */
    public BenchResult run(Scenario scenario, String label) {
        if (label.startsWith(EXTERNAL)) {
            return runExternal(scenario, label);
        }
        Subject impl = Subject.parse(label, options.executor());
        boolean baseline = Subject.isBaseline(impl.impl());
        if (options.tls() && baseline) {
            return BenchResult.skipped(scenario, impl, "the native baselines serve plain TCP only");
        }
        try {
            Files.createDirectories(workDir);
            String keyStore = options.tls() ? tlsKeyStore().toString() : null;
            ServerSpec spec = new ServerSpec(impl.impl(), scenario.app(), options.or(options.messageSize(), 64),
                    options.ioThreads(), impl.executor() == null ? Subject.DEFAULT_EXECUTOR : impl.executor(),
                    impl.copying(),
                    options.inboundLimit(), options.properties(), keyStore, LabTls.KEY_STORE_PASSWORD,
                    serverJvmArgs(scenario, impl, workDir.resolve("server-" + impl.label() + "-" + scenario.label() + ".jfr")));
            try (ServerProcess server = options.fork()
                    ? ServerProcess.fork(spec, workDir.resolve("server-" + impl.label() + "-" + scenario.label() + ".log"))
                    : ServerProcess.inProcess(spec)) {
                return scenario == Scenario.IDLE
                        ? measureIdle(scenario, impl.label(), impl.executor(), server)
                        : measure(scenario, impl.label(), impl.executor(), server);
            }
        } catch (IOException | RuntimeException e) {
            return BenchResult.failed(scenario, impl, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BenchResult.failed(scenario, impl, "interrupted");
        }
    }

    /**
     * Returns the implementation name of an external server.
     *
     * @param target its host:port
     * @param control its control port's host:port, or {@code null}
     * @return {@code target:HOST:PORT[,control=HOST:PORT]}
     */
    public static String external(String target, String control) {
        return EXTERNAL + target + (control == null ? "" : CONTROL + control);
    }

    /** Drives a server the lab did not start: plain TCP; with a control port, with its figures. */
    private BenchResult runExternal(Scenario scenario, String label) {
        Subject impl = new Subject(label, null);
        String spec = label.substring(EXTERNAL.length());
        int at = spec.indexOf(CONTROL);
        String hostPort = at < 0 ? spec : spec.substring(0, at);
        InetSocketAddress target = address(hostPort);
        if (options.tls()) {
            return BenchResult.skipped(scenario, impl, "an external target is driven over plain TCP only");
        }
        if (at >= 0) {
            try (RemoteServer server = new RemoteServer(target, address(spec.substring(at + CONTROL.length())))) {
                Subject name = new Subject(server.impl() + " at " + hostPort, null);
                if (!server.app().equals(scenario.app().name())) {
                    return BenchResult.skipped(scenario, name, "the server serves " + server.app() + "; "
                            + scenario.label() + " needs corosio serve --app " + scenario.app().name().toLowerCase(java.util.Locale.ROOT));
                }
                return scenario == Scenario.IDLE
                        ? measureIdle(scenario, name.label(), null, server)
                        : measure(scenario, name.label(), null, server);
            } catch (IOException | RuntimeException e) {
                return BenchResult.failed(scenario, impl, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return BenchResult.failed(scenario, impl, "interrupted");
            }
        }
        if (scenario.app() != ServerApp.ECHO || scenario == Scenario.IDLE) {
            return BenchResult.skipped(scenario, impl, "an external target without a control port is driven as a plain "
                    + "echo server only");
        }
        try (Load load = scenario.load(target, options, null)) {
            load.start();
            Thread.sleep(options.warmup());
            load.stats().cut();
            long t0 = System.nanoTime();
            Thread.sleep(options.duration());
            LoadStats.Interval interval = load.stats().cut();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double throughput = scenario.unit().equals("Gbit/s")
                    ? interval.bytes() * 8 / seconds / 1e9
                    : interval.operations() / seconds;
            return new BenchResult(scenario.label(), label, "ok", null, throughput, scenario.unit(),
                    interval.operations(), interval.errors(), seconds, Latency.of(interval.latency()), null, 1, Map.of(), null);
        } catch (IOException | RuntimeException e) {
            return BenchResult.failed(scenario, impl, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BenchResult.failed(scenario, impl, "interrupted");
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Writes the run's server key (from the kit's generated CA) for the forked server. */
    private Path tlsKeyStore() throws IOException {
        return LabTls.writeServerKeyStore(workDir);
    }

    private SSLContext clientTls() {
        return options.tls() ? TestCertificates.get().clientContext() : null;
    }

    private List<String> serverJvmArgs(Scenario scenario, Subject impl, Path recording) {
        List<String> args = new ArrayList<>(options.jvmArgs());
        if (options.jfr() && options.fork()) {
            // The recording is written when the server exits; its start-up lines must stay off the
            // server's standard output, which is the lab's protocol.
            args.add("-Xlog:jfr+startup=error");
            args.add("-XX:StartFlightRecording=dumponexit=true,filename=" + recording.toAbsolutePath());
        }
        if ("loop".equals(impl.executor())) {
            args.add(VirtualThreadInternals.ADD_OPENS); // what HandlerExecutors.eventLoop() needs
        }
        if (scenario == Scenario.IDLE && args.stream().noneMatch(a -> a.startsWith("-XX:MaxHeapFreeRatio"))) {
            // The idle figures are differences of two readings, each after a full GC. Left to
            // itself, the GC may hand heap pages back to the OS at the second one, and RSS per
            // connection came out negative; a heap that never shrinks makes RSS only grow.
            args.add("-XX:MaxHeapFreeRatio=100");
        }
        if (options.carrierParallelism() > 0) {
            args.add("-Djdk.virtualThreadScheduler.parallelism=" + options.carrierParallelism());
        }
        return args;
    }

    private BenchResult measure(Scenario scenario, String impl, String executor, ServerHandle server)
            throws IOException, InterruptedException {
        try (Load load = scenario.load(server.address(), options, clientTls())) {
            load.start();
            progress.accept(scenario.label() + " on " + impl + ": warming up for " + options.warmup());
            // The windows are durations of traffic, not waits for an event: sleeping is the point.
            Thread.sleep(options.warmup());
            load.stats().cut();
            ResourceSnapshot start = server.snapshot(false);
            long t0 = System.nanoTime();
            Thread.sleep(options.duration());
            LoadStats.Interval interval = load.stats().cut();
            long wall = System.nanoTime() - t0;
            ResourceSnapshot end = server.snapshot(false);
            double seconds = wall / 1e9;
            double throughput = scenario.unit().equals("Gbit/s")
                    ? interval.bytes() * 8 / seconds / 1e9
                    : interval.operations() / seconds;
            long operations = scenario.unit().equals("Gbit/s") ? interval.bytes() : interval.operations();
            if (interval.operations() == 0 && interval.bytes() == 0) {
                return BenchResult.failed(scenario, impl, executor, "no traffic completed in the window ("
                        + interval.errors() + " errors)");
            }
            return new BenchResult(scenario.label(), impl, "ok", null, throughput, scenario.unit(),
                    interval.operations(), interval.errors(), seconds, Latency.of(interval.latency()),
                    ServerUsage.between(start, end, wall, operations), 1, Map.of(), executor);
        }
    }

    /** How many classes the idle scenario's breakdown lists (the rest are summed in one row). */
    private static final int BREAKDOWN_CLASSES = 12;

    private BenchResult measureIdle(Scenario scenario, String impl, String executor, ServerHandle server)
            throws IOException {
        ClassHistogram objectsBefore = server.histogram();
        ResourceSnapshot before = server.snapshot(true);
        try (IdleLoad load = (IdleLoad) scenario.load(server.address(), options, clientTls())) {
            long t0 = System.nanoTime();
            load.start();
            double seconds = (System.nanoTime() - t0) / 1e9;
            ResourceSnapshot after = server.snapshot(true);
            ClassHistogram objectsAfter = server.histogram();
            LoadStats.Interval interval = load.stats().cut();
            return new BenchResult(scenario.label(), impl, "ok", null, load.open(), scenario.unit(),
                    interval.operations(), interval.errors(), seconds, Latency.of(interval.latency()),
                    ServerUsage.perConnection(before, after, load.open(),
                            HeapShare.between(objectsBefore, objectsAfter, load.open(), BREAKDOWN_CLASSES)),
                    1, Map.of(), executor);
        }
    }
}
