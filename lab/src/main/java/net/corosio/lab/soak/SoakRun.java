package net.corosio.lab.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import net.corosio.lab.bench.ServerProcess;
import net.corosio.lab.bench.ServerSpec;
import net.corosio.lab.server.ResourceSnapshot;
import net.corosio.lab.server.ServerApp;
import net.corosio.tck.faults.LocalFaultInjector;

/**
 * A soak: every backend's echo server in its own JVM, all at once, each driven for the whole
 * duration by a few {@link SoakWorker}s that put random faults on their paths; the servers are
 * sampled after a full GC at a steady interval, a line is fitted to each resource once the
 * warm-up is over, and a backend fails when a resource grows beyond noise, a byte comes back
 * damaged, a client fails where nothing cut its path, or something remains once the clients are
 * gone.
 */
public final class SoakRun {

    /** The least rise over the window that can count as growth, per resource. */
    private static final Map<String, Double> FLOORS = Map.of(
            "fds", 16.0,
            "threads", 8.0,
            "heapAfterGcBytes", 16.0 * 1024 * 1024,
            "directBuffers", 64.0,
            "directBytes", 16.0 * 1024 * 1024);

    private final List<String> backends;
    private final Duration duration;
    private final int workersPerBackend;
    private final Path workDir;
    private final long seed;
    private final Consumer<String> progress;

    /**
     * Plans a soak.
     *
     * @param backends the backends, soaked at the same time
     * @param duration how long the clients run
     * @param workersPerBackend clients per backend, each with its own proxy
     * @param workDir where server logs go
     * @param seed the clients' choices
     * @param progress receives a line per sample
     */
    public SoakRun(List<String> backends, Duration duration, int workersPerBackend, Path workDir, long seed,
            Consumer<String> progress) {
        this.backends = List.copyOf(backends);
        this.duration = duration;
        this.workersPerBackend = workersPerBackend;
        this.workDir = workDir;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * Returns the sampling interval: about twenty samples over the soak, between 2 s and a minute.
     *
     * @return the interval
     */
    public Duration interval() {
        long millis = Math.clamp(duration.toMillis() / 20, 2_000, 60_000);
        return Duration.ofMillis(millis);
    }

    /**
     * Runs the soak.
     *
     * @return one result per backend
     * @throws IOException if a server cannot start
     * @throws InterruptedException if interrupted
     */
    public List<SoakResult> run() throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        Map<String, List<SoakWorker>> workers = new LinkedHashMap<>();
        Map<String, List<SoakSample>> samples = new LinkedHashMap<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        try (LocalFaultInjector injector = new LocalFaultInjector()) {
            for (String backend : backends) {
                ServerSpec spec = new ServerSpec(backend, ServerApp.ECHO, 64, 0, "virtual", false, 0, Map.of(), null, null,
                        List.of(), List.of());
                servers.put(backend, ServerProcess.fork(spec, workDir.resolve("soak-" + backend + ".log")));
                samples.put(backend, new ArrayList<>());
            }
            start = System.nanoTime();
            int n = 0;
            for (String backend : backends) {
                List<SoakWorker> mine = new ArrayList<>();
                for (int i = 0; i < workersPerBackend; i++) {
                    SoakWorker worker = new SoakWorker(injector.proxy("soak-" + backend + "-" + i,
                            servers.get(backend).address()), seed ^ (++n * 0x9e3779b97f4a7c15L));
                    mine.add(worker);
                    threads.add(Thread.ofVirtual().name("soak-" + backend + "-" + i).start(worker));
                }
                workers.put(backend, mine);
            }
            long end = start + duration.toNanos();
            long next = start;
            while (true) {
                for (String backend : backends) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    samples.get(backend).add(SoakSample.of(seconds, servers.get(backend).snapshot(true)));
                }
                progress.accept(String.format(java.util.Locale.ROOT, "soak: %.0f s of %d s sampled", 
                        (System.nanoTime() - start) / 1e9, duration.toSeconds()));
                next += interval().toNanos();
                if (next > end) {
                    break;
                }
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000)); // the sampling period
            }
            workers.values().forEach(list -> list.forEach(SoakWorker::stop));
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
        }
        List<SoakResult> results = new ArrayList<>();
        try {
            for (String backend : backends) {
                SoakSample after = settle(servers.get(backend), (System.nanoTime() - start) / 1e9);
                results.add(result(backend, workers.get(backend), samples.get(backend), after));
            }
        } finally {
            servers.values().forEach(ServerProcess::close);
        }
        return results;
    }

    private SoakResult result(String backend, List<SoakWorker> workers, List<SoakSample> all, SoakSample after) {
        Map<String, Long> outcomes = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        long damaged = 0;
        for (SoakWorker worker : workers) {
            worker.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            unexpected.addAll(worker.unexpected());
            damaged += worker.damaged();
        }
        // The warm-up: JIT, pools and caches fill during the first tenth (and the first samples).
        double warm = Math.max(duration.toSeconds() * 0.1, interval().toSeconds() * 2.0);
        List<SoakSample> steady = all.stream().filter(s -> s.seconds() >= warm).toList();
        List<Trend> trends = new ArrayList<>();
        trends.add(trend("fds", steady, SoakSample::fds));
        trends.add(trend("threads", steady, SoakSample::threads));
        trends.add(trend("heapAfterGcBytes", steady, SoakSample::heapAfterGcBytes));
        trends.add(trend("directBuffers", steady, SoakSample::directBuffers));
        trends.add(trend("directBytes", steady, SoakSample::directBytes));
        List<String> failures = new ArrayList<>();
        trends.stream().filter(Trend::grows).forEach(t -> failures.add(String.format(java.util.Locale.ROOT,
                "%s grows: %+.0f over the window (noise %.0f, floor %.0f)", t.metric(), t.growth(), t.noise(), t.floor())));
        if (damaged > 0) {
            failures.add(damaged + " bytes came back lost, duplicated or corrupted");
        }
        if (outcomes.getOrDefault("unexpected", 0L) > 0) {
            failures.add(outcomes.get("unexpected") + " cycles failed where nothing cut the path: " + unexpected);
        }
        if (after.connections() > 0) {
            failures.add("the server still holds " + after.connections() + " connections after every client closed");
        }
        SoakSample first = steady.isEmpty() ? (all.isEmpty() ? after : all.getFirst()) : steady.getFirst();
        if (after.fds() > first.fds() + FLOORS.get("fds")) {
            failures.add("the server holds " + (after.fds() - first.fds()) + " more descriptors at the end than after the warm-up");
        }
        return new SoakResult(backend, outcomes, unexpected, damaged, all, trends, after, failures);
    }

    private static Trend trend(String metric, List<SoakSample> samples, ToLongFunction<SoakSample> value) {
        return Trend.fit(metric, samples.stream().map(SoakSample::seconds).toList(),
                samples.stream().map(s -> (double) value.applyAsLong(s)).toList(), FLOORS.get(metric));
    }

    /** Waits until the server holds no connection, then reads it after a full GC. */
    private static SoakSample settle(ServerProcess server, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (System.nanoTime() < deadline && server.snapshot(false).connections() > 0) {
                Thread.sleep(100); // the server's count has no event to wait on
            }
            ResourceSnapshot last = server.snapshot(true);
            return SoakSample.of(seconds, last);
        } catch (IOException e) {
            return new SoakSample(seconds, -1, -1, -1, -1, -1, -1, Long.MAX_VALUE);
        }
    }
}
