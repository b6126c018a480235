package net.corosio.lab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Summarises a campaign that ran its plan several times: one representative run per scenario and
 * implementation, and how far the rounds disagreed. A single run on a shared two-core machine can
 * be off by a third; the median of a few interleaved rounds, shown with its spread, is a number a
 * reader can weigh.
 */
public final class Medians {

    private Medians() {}

    /**
     * Returns one run per scenario and implementation, in the order they first ran: the run whose
     * headline figure ({@link BenchResult#headline()}) is the median of its successful rounds (the
     * lower of the two middle ones for an even count, so every figure shown comes from one real
     * run), or a failed run if any round failed — a failure is never averaged away.
     *
     * @param runs every run of a campaign, any number of rounds
     * @return the representative runs
     */
    public static List<BenchResult> of(List<BenchResult> runs) {
        List<BenchResult> chosen = new ArrayList<>();
        for (List<BenchResult> rounds : grouped(runs).values()) {
            BenchResult failed = rounds.stream().filter(r -> r.status().equals("failed")).findFirst().orElse(null);
            List<BenchResult> ok = rounds.stream().filter(BenchResult::ok)
                    .sorted(Comparator.comparingDouble(BenchResult::headline)).toList();
            if (failed != null || ok.isEmpty()) {
                chosen.add(failed != null ? failed : rounds.getFirst());
            } else {
                chosen.add(ok.get((ok.size() - 1) / 2));
            }
        }
        return chosen;
    }

    /**
     * Returns how far the successful rounds of one scenario on one implementation disagreed:
     * (largest − smallest headline figure) / median, or empty with fewer than two successful rounds.
     *
     * @param runs every run of a campaign
     * @param scenario the scenario's label
     * @param impl the implementation's {@linkplain BenchResult#label() label} (with its sweep point)
     * @return the relative spread, 0.25 for 25 %
     */
    public static OptionalDouble spread(List<BenchResult> runs, String scenario, String impl) {
        double[] figures = runs.stream()
                .filter(r -> r.ok() && r.scenario().equals(scenario) && r.label().equals(impl))
                .mapToDouble(BenchResult::headline).sorted().toArray();
        if (figures.length < 2) {
            return OptionalDouble.empty();
        }
        double median = figures[(figures.length - 1) / 2];
        return median == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((figures[figures.length - 1] - figures[0]) / median);
    }

    private static Map<String, List<BenchResult>> grouped(List<BenchResult> runs) {
        Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        for (BenchResult r : runs) {
            groups.computeIfAbsent(r.scenario() + "\u0000" + r.label(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }
}
