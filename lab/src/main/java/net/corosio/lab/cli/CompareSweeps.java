package net.corosio.lab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.corosio.lab.bench.Scenario;
import net.corosio.lab.bench.Sweep;

/**
 * The sweeps {@code compare} runs after its core scenarios, so that the report can draw curves:
 * {@code load} (echo as connections grow), {@code rate} (echo latency against offered rate, open
 * loop), {@code scheduler} (echo under each handler executor, with one carrier and the JDK's
 * default; then one I/O thread against the default) and {@code tls} (churn over TLS: a full
 * handshake per cycle).
 */
final class CompareSweeps {

    /** The names {@code --sweeps} accepts, in run order. */
    static final List<String> NAMES = List.of("load", "rate", "scheduler", "tls");

    /** Connections for the load sweep. */
    static final List<Integer> CONNECTIONS = List.of(1, 16, 64, 256, 1024);

    /** Offered rates (messages/s over 16 connections) for the rate sweep. */
    static final List<Long> RATES = List.of(10_000L, 40_000L, 100_000L, 200_000L);

    private static final int RATE_CONNECTIONS = 16;

    private CompareSweeps() {}

    /**
     * Builds the sweeps named.
     *
     * @param names some of {@link #NAMES}, or {@code none}
     * @param executors the handler executors the scheduler sweep compares
     * @return the sweeps, in run order
     * @throws IllegalArgumentException naming an unknown sweep
     */
    static List<Sweep> plan(List<String> names, List<String> executors) {
        List<Sweep> plan = new ArrayList<>();
        for (String name : names) {
            if (!name.equals("none") && !NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown sweep '" + name + "'; choose from " + NAMES + " or none");
            }
        }
        for (String name : NAMES) {
            if (!names.contains(name)) {
                continue;
            }
            switch (name) {
                case "load" -> plan.add(Sweep.of(Scenario.ECHO, Map.of("connections", CONNECTIONS), true));
                case "rate" -> {
                    Map<String, List<?>> axes = new LinkedHashMap<>();
                    axes.put("connections", List.of(RATE_CONNECTIONS));
                    axes.put("rate", RATES);
                    plan.add(Sweep.of(Scenario.ECHO, axes, true));
                }
                case "scheduler" -> {
                    Map<String, List<?>> axes = new LinkedHashMap<>();
                    axes.put("executor", executors);
                    axes.put("carriers", List.of(0, 1));
                    plan.add(Sweep.of(Scenario.ECHO, axes, false));
                    plan.add(Sweep.of(Scenario.ECHO, Map.of("ioThreads", List.of(0, 1)), true));
                }
                case "tls" -> plan.add(Sweep.of(Scenario.CHURN, Map.of("tls", List.of(true)), false));
                default -> throw new IllegalStateException(name);
            }
        }
        return plan;
    }

    /**
     * Describes a plan in a few words, for the progress line.
     *
     * @param plan the sweeps
     * @return e.g. {@code echo x 5 points}
     */
    static String describe(List<Sweep> plan) {
        return plan.stream()
                .map(s -> String.format(Locale.ROOT, "%s x %d point%s", s.scenario().label(), s.points().size(),
                        s.points().size() == 1 ? "" : "s"))
                .toList().toString();
    }
}
