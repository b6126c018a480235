package net.corosio.lab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import net.corosio.lab.server.ServerMain;

/**
 * A series of runs — every listed scenario on every listed implementation — with progress
 * reported as it goes.
 */
public final class Campaign {

    private final BenchOptions options;
    private final Path workDir;
    private final Consumer<String> progress;
    private final int rounds;

    /**
     * Prepares a campaign.
     *
     * @param options the knobs for every run
     * @param workDir where server logs go
     * @param progress receives progress lines
     */
    public Campaign(BenchOptions options, Path workDir, Consumer<String> progress) {
        this.options = options;
        this.workDir = workDir;
        this.progress = progress;
        this.rounds = options.rounds();
    }

    /**
     * Runs every scenario on every implementation, scenario by scenario, as many rounds as the
     * options ask for. Rounds are interleaved (the whole plan, then the whole plan again) so that a
     * drift in the machine's state touches every implementation alike.
     *
     * @param scenarios what to run
     * @param impls on what
     * @return every run, in run order, each marked with its round
     */
    public List<BenchResult> run(List<Scenario> scenarios, List<String> impls) {
        return sweep(scenarios.stream().map(Sweep::single).toList(), impls);
    }

    /**
     * Runs every sweep on every implementation — each point of a sweep on every implementation
     * before the next point — as many rounds as the options ask for, rounds interleaved.
     *
     * @param plan the sweeps, in order
     * @param impls on what; a sweep without baselines leaves the native ones out
     * @return every run, in run order, each marked with its round and its sweep point
     */
    public List<BenchResult> sweep(List<Sweep> plan, List<String> impls) {
        List<BenchResult> results = new ArrayList<>();
        int perRound = 0;
        for (Sweep sweep : plan) {
            perRound += sweep.points().size() * implsOf(sweep, impls).size();
        }
        int total = perRound * rounds;
        int done = 0;
        for (int round = 1; round <= rounds; round++) {
            String label = rounds > 1 ? String.format(Locale.ROOT, "round %d/%d ", round, rounds) : "";
            for (Sweep sweep : plan) {
                for (Map<String, Object> point : sweep.points()) {
                    BenchRunner runner;
                    String refused = null;
                    try {
                        runner = new BenchRunner(Sweep.apply(options, point), workDir, line -> {});
                    } catch (IllegalArgumentException e) {
                        // A point the lab cannot run (an executor it does not know): a failed row each, not a crash.
                        runner = null;
                        refused = e.getMessage();
                    }
                    for (String impl : implsOf(sweep, impls)) {
                        done++;
                        long t0 = System.nanoTime();
                        Object executor = point.get("executor");
                        BenchResult result;
                        if (runner == null) {
                            result = BenchResult.failed(sweep.scenario(), new Subject(impl, null), refused);
                        } else if (executor != null && !Subject.supports(impl, executor.toString())) {
                            result = BenchResult.skipped(sweep.scenario(), new Subject(impl, null),
                                    impl + " cannot run handlers on " + executor);
                        } else {
                            result = runner.run(sweep.scenario(), impl);
                        }
                        result = result.inRound(round).at(point);
                        results.add(result);
                        progress.accept(String.format(Locale.ROOT, "[%d/%d] %s%-11s %-13s %s (%.1f s)", done, total,
                                label, sweep.scenario().label(), result.label(), summary(result),
                                (System.nanoTime() - t0) / 1e9));
                    }
                }
            }
        }
        return results;
    }

    private static List<String> implsOf(Sweep sweep, List<String> impls) {
        return sweep.withBaselines() ? impls
                : impls.stream().filter(i -> !i.equals(ServerMain.NETTY_NATIVE) && !i.equals(ServerMain.JETTY_NATIVE)).toList();
    }

    private static String summary(BenchResult r) {
        if (!r.ok()) {
            return r.status() + ": " + r.reason();
        }
        if (r.scenario().equals("idle")) {
            return String.format(Locale.ROOT, "%.0f B heap/conn", r.server().heapBytesPerConnection());
        }
        return String.format(Locale.ROOT, "%.4g %s", r.throughput(), r.unit());
    }
}
