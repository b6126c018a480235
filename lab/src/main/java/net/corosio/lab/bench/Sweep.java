package net.corosio.lab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario run at several settings of a few knobs: every combination of the values given per
 * knob (the points), each on every implementation. A run made at a point records the point in its
 * result ({@link BenchResult#point()}), so curves — throughput against connections, latency
 * against offered rate, a backend under each executor — can be drawn from the results file.
 *
 * @param scenario what runs at each point
 * @param points the knobs each run sets, by name (one of {@link #KNOBS}); a single empty point is
 *     the scenario at the campaign's own options
 * @param withBaselines whether the native baselines take part (they have no handler executor and
 *     no carriers, so a scheduler sweep leaves them out)
 */
public record Sweep(Scenario scenario, List<Map<String, Object>> points, boolean withBaselines) {

    /**
     * The knobs a sweep can set: {@code connections} and {@code carriers} and {@code ioThreads}
     * (integers), {@code rate} (messages/s, a long), {@code executor} (a string, passed to the
     * server as it is), {@code tls} (a boolean), {@code warmup} and {@code duration} (ISO-8601
     * strings: a sweep run with a window of its own records it).
     */
    public static final List<String> KNOBS = List.of("connections", "rate", "executor", "carriers", "ioThreads", "tls",
            "warmup", "duration");

    /** Copies the points and checks their knobs. */
    public Sweep {
        points = points.stream().map(p -> Map.copyOf(p)).toList();
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one point: " + scenario);
        }
        for (Map<String, Object> point : points) {
            for (String knob : point.keySet()) {
                if (!KNOBS.contains(knob)) {
                    throw new IllegalArgumentException("unknown sweep knob '" + knob + "'; choose from " + KNOBS);
                }
            }
        }
    }

    /**
     * The scenario once, at the campaign's options, on every implementation.
     *
     * @param scenario the scenario
     * @return the sweep of one point
     */
    public static Sweep single(Scenario scenario) {
        return new Sweep(scenario, List.of(Map.of()), true);
    }

    /**
     * Every combination of the given values, the first knob varying slowest.
     *
     * @param scenario the scenario
     * @param axes each knob's values, in order
     * @param withBaselines whether the native baselines take part
     * @return the sweep
     */
    public static Sweep of(Scenario scenario, Map<String, ? extends List<?>> axes, boolean withBaselines) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(Map.of());
        for (Map.Entry<String, ? extends List<?>> axis : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> point : points) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> extended = new LinkedHashMap<>(point);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return new Sweep(scenario, points, withBaselines);
    }

    /**
     * Returns {@code base} with a point's knobs set.
     *
     * @param base the campaign's options
     * @param point the knobs to set
     * @return the options of one run
     */
    public static BenchOptions apply(BenchOptions base, Map<String, Object> point) {
        BenchOptions o = base;
        int connections = intKnob(point, "connections", o.connections());
        long rate = point.containsKey("rate") ? ((Number) point.get("rate")).longValue() : o.rate();
        String executor = point.containsKey("executor") ? point.get("executor").toString() : o.executor();
        int carriers = intKnob(point, "carriers", o.carrierParallelism());
        int ioThreads = intKnob(point, "ioThreads", o.ioThreads());
        boolean tls = point.containsKey("tls") ? (Boolean) point.get("tls") : o.tls();
        java.time.Duration warmup = point.containsKey("warmup") ? java.time.Duration.parse(point.get("warmup").toString())
                : o.warmup();
        java.time.Duration duration = point.containsKey("duration")
                ? java.time.Duration.parse(point.get("duration").toString()) : o.duration();
        return new BenchOptions(warmup, duration, connections, o.inFlight(), o.messageSize(), rate,
                o.concurrency(), o.subscribers(), o.idleConnections(), tls, executor, ioThreads, o.inboundLimit(),
                o.properties(), carriers, o.jvmArgs(), o.fork(), o.rounds(), o.jfr());
    }

    private static int intKnob(Map<String, Object> point, String knob, int fallback) {
        return point.containsKey(knob) ? ((Number) point.get(knob)).intValue() : fallback;
    }
}
