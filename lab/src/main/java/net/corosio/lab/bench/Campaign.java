package net.corosio.lab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A series of runs — every listed scenario on every listed implementation — with progress
 * reported as it goes.
 */
public final class Campaign {

    private final BenchRunner runner;
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
        this.runner = new BenchRunner(options, workDir, line -> {});
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
        List<BenchResult> results = new ArrayList<>();
        int total = scenarios.size() * impls.size() * rounds;
        int done = 0;
        for (int round = 1; round <= rounds; round++) {
            String label = rounds > 1 ? String.format(Locale.ROOT, "round %d/%d ", round, rounds) : "";
            for (Scenario scenario : scenarios) {
                for (String impl : impls) {
                    done++;
                    long t0 = System.nanoTime();
                    BenchResult result = runner.run(scenario, impl).inRound(round);
                    results.add(result);
                    progress.accept(String.format(Locale.ROOT, "[%d/%d] %s%-11s %-13s %s (%.1f s)", done, total, label,
                            scenario.label(), impl, summary(result), (System.nanoTime() - t0) / 1e9));
                }
            }
        }
        return results;
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
