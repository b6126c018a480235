package net.corosio.lab.page;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.bench.Medians;

/**
 * Every benchmark run the report was given, each with all of its knobs made explicit: a run's
 * point holds every {@link net.corosio.lab.bench.Sweep#KNOBS knob}, from its file's options where
 * its own sweep point did not set it, and scenario defaults resolved ({@code connections 0} on
 * echo is 64). Runs repeated in rounds or files are reduced to their median ({@link Medians}).
 */
final class BenchRuns {

    /** The knobs at their plain values: what {@code compare}'s core scenarios run with. */
    static final Map<String, Object> PLAIN = Map.of(
            "rate", 0L, "executor", "virtual", "carriers", 0, "ioThreads", 0, "tls", false);

    private final List<BenchResult> runs;

    /**
     * Keeps, of the runs made at the same knobs, those with the longest measurement window (a core
     * run of {@code compare} over the shorter sweep run at the same point), then their median.
     *
     * @param normalized runs with full points ({@link #normalize})
     */
    BenchRuns(List<BenchResult> normalized) {
        Map<String, Duration> longest = new LinkedHashMap<>();
        for (BenchResult r : normalized) {
            longest.merge(key(r), window(r), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        List<BenchResult> kept = normalized.stream().filter(r -> window(r).equals(longest.get(key(r)))).toList();
        List<BenchResult> unwindowed = new ArrayList<>();
        for (BenchResult r : kept) {
            Map<String, Object> knobs = new LinkedHashMap<>(r.point());
            knobs.remove("warmup");
            knobs.remove("duration");
            unwindowed.add(r.at(knobs));
        }
        this.runs = Medians.of(unwindowed);
    }

    private static String key(BenchResult r) {
        Map<String, Object> knobs = new java.util.TreeMap<>(r.point());
        knobs.remove("warmup");
        knobs.remove("duration");
        return r.scenario() + "\u0000" + r.impl() + "\u0000" + knobs;
    }

    private static Duration window(BenchResult r) {
        return Duration.parse(String.valueOf(r.point().get("duration")));
    }

    /**
     * Makes a run's knobs explicit.
     *
     * @param result the run as read
     * @param fileOptions its file's {@code options} (connections, rate, executor, carrierParallelism,
     *     ioThreads, tls)
     * @return the run with a full point
     */
    static BenchResult normalize(BenchResult result, Map<String, Object> fileOptions) {
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("connections", number(fileOptions.get("connections")).intValue());
        knobs.put("rate", number(fileOptions.get("rate")).longValue());
        knobs.put("executor", String.valueOf(fileOptions.getOrDefault("executor", "virtual")));
        knobs.put("carriers", number(fileOptions.get("carrierParallelism")).intValue());
        knobs.put("ioThreads", number(fileOptions.get("ioThreads")).intValue());
        knobs.put("tls", Boolean.TRUE.equals(fileOptions.get("tls")));
        knobs.put("duration", String.valueOf(fileOptions.getOrDefault("duration", "PT0S")));
        result.point().forEach((knob, value) -> knobs.put(knob, switch (knob) {
            case "connections", "carriers", "ioThreads" -> number(value).intValue();
            case "rate" -> number(value).longValue();
            case "tls" -> Boolean.TRUE.equals(value);
            case "warmup", "duration" -> String.valueOf(value);
            default -> String.valueOf(value);
        }));
        if ((int) knobs.get("connections") == 0) {
            knobs.put("connections", switch (result.scenario()) {
                case "echo" -> 64;
                case "bulk", "bulk-duplex", "pingpong" -> 1;
                default -> 0;
            });
        }
        return result.at(knobs);
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : 0;
    }

    /**
     * Returns the runs of a scenario whose knobs pass a test, successful or not.
     *
     * @param scenario the scenario's label
     * @param knobs the test on a run's point
     * @return the runs, in the order first seen
     */
    List<BenchResult> where(String scenario, Predicate<Map<String, Object>> knobs) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && knobs.test(r.point())).toList();
    }

    /**
     * Returns the runs of a scenario at the plain knobs ({@link #PLAIN}) and the scenario's default
     * connections: one per implementation, as {@code compare} makes them.
     *
     * @param scenario the scenario's label
     * @return the runs
     */
    List<BenchResult> plain(String scenario) {
        int connections = scenario.equals("echo") ? 64 : -1;
        return where(scenario, k -> isPlain(k) && (connections < 0 || Objects.equals(k.get("connections"), connections)));
    }

    /**
     * Returns whether every knob but {@code except} is at its plain value.
     *
     * @param knobs a run's point
     * @param except a knob to leave out of the test, or {@code ""}
     * @return whether the others are plain
     */
    static boolean isPlain(Map<String, Object> knobs, String... except) {
        for (Map.Entry<String, Object> plain : PLAIN.entrySet()) {
            if (List.of(except).contains(plain.getKey())) {
                continue;
            }
            if (!Objects.equals(String.valueOf(knobs.get(plain.getKey())), String.valueOf(plain.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns one run: the first of a scenario on an implementation whose knobs pass the test.
     *
     * @param scenario the scenario's label
     * @param impl the implementation
     * @param knobs the test
     * @return the run, if there is one and it succeeded
     */
    Optional<BenchResult> ok(String scenario, String impl, Predicate<Map<String, Object>> knobs) {
        return where(scenario, knobs).stream().filter(r -> r.impl().equals(impl) && r.ok()).findFirst();
    }

    /**
     * Returns the implementations among some runs, in order of first appearance.
     *
     * @param of the runs
     * @return the names
     */
    static List<String> impls(List<BenchResult> of) {
        List<String> names = new ArrayList<>();
        of.forEach(r -> {
            if (!names.contains(r.impl())) {
                names.add(r.impl());
            }
        });
        return names;
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }
}
