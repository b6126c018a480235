package net.corosio.lab.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * One scenario on one implementation.
 *
 * @param scenario the scenario's label
 * @param impl the {@link Subject}'s label: the backend or baseline, with {@code @executor} when a
 *     backend ran its handlers on another executor than the default
 * @param status {@code ok}, {@code failed} or {@code skipped}
 * @param reason why it failed or was skipped, else {@code null}
 * @param throughput operations (or Gbit for bulk) per second; for idle, the connections held
 * @param unit the throughput's unit
 * @param operations operations completed in the window
 * @param errors errors seen by the load generator in the window
 * @param seconds the window's length
 * @param latency latency percentiles in microseconds, or {@code null}
 * @param server the server's resource usage, or {@code null}
 * @param round which round of a campaign this run belongs to, from 1
 * @param point the swept knobs this run set, by name ({@link Sweep#KNOBS}); empty outside a sweep
 * @param executor the handler executor the backend ran ({@code virtual}, {@code loop}, {@code
 *     platform:N}), or {@code null} for a native baseline or an external target
 */
public record BenchResult(
        String scenario,
        String impl,
        String status,
        String reason,
        double throughput,
        String unit,
        long operations,
        long errors,
        double seconds,
        Latency latency,
        ServerUsage server,
        int round,
        Map<String, Object> point,
        String executor) {

    /** Copies the point, in name order, so equal points compare and print alike. */
    public BenchResult {
        point = point == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(point));
    }

    static BenchResult failed(Scenario scenario, Subject subject, String reason) {
        return failed(scenario, subject.label(), subject.executor(), reason);
    }

    static BenchResult failed(Scenario scenario, String label, String executor, String reason) {
        return new BenchResult(scenario.label(), label, "failed", reason, 0, scenario.unit(), 0, 0, 0, null,
                null, 1, Map.of(), executor);
    }

    static BenchResult skipped(Scenario scenario, Subject subject, String reason) {
        return new BenchResult(scenario.label(), subject.label(), "skipped", reason, 0, scenario.unit(), 0, 0, 0, null,
                null, 1, Map.of(), subject.executor());
    }

    /**
     * Returns a copy that belongs to another round.
     *
     * @param number the round, from 1
     * @return the copy
     */
    public BenchResult inRound(int number) {
        return new BenchResult(scenario, impl, status, reason, throughput, unit, operations, errors, seconds, latency,
                server, number, point, executor);
    }

    /**
     * Returns a copy made at a point of a sweep.
     *
     * @param knobs the swept knobs' values for this run
     * @return the copy
     */
    public BenchResult at(Map<String, Object> knobs) {
        return new BenchResult(scenario, impl, status, reason, throughput, unit, operations, errors, seconds, latency,
                server, round, knobs, executor);
    }

    /**
     * Returns the implementation's name with the sweep point, if any: {@code netty connections=64}.
     *
     * @return the label tables show
     */
    public String label() {
        StringBuilder label = new StringBuilder(impl);
        // The executor is in the implementation's label already (netty@loop), see Subject.
        point.forEach((knob, value) -> {
            if (!knob.equals("executor")) {
                label.append(' ').append(knob).append('=').append(value);
            }
        });
        return label.toString();
    }

    /**
     * Returns the scenario's headline figure, the one the comparison shows at a glance: the median
     * round trip in microseconds for pingpong, live heap bytes per connection for idle, throughput
     * for the others. Only meaningful when {@link #ok()}.
     *
     * @return the figure
     */
    public double headline() {
        return switch (scenario) {
            case "pingpong" -> latency == null ? 0 : latency.p50();
            case "idle" -> server == null ? 0 : server.heapBytesPerConnection();
            default -> throughput;
        };
    }

    /**
     * Returns whether the run produced figures.
     *
     * @return whether the status is {@code ok}
     */
    public boolean ok() {
        return status.equals("ok");
    }
}
