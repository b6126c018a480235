package net.corosio.lab.apps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one redis-benchmark run measured per test, parsed from its {@code --csv} output.
 *
 * @param tests by test name (SET, GET, ...), in the order run
 */
public record RedisBenchmarkResult(Map<String, Figures> tests) {

    /**
     * One test's figures.
     *
     * @param requestsPerSecond completed requests per second
     * @param averageMs mean latency
     * @param p50Ms median latency
     * @param p99Ms 99th percentile
     */
    public record Figures(double requestsPerSecond, double averageMs, double p50Ms, double p99Ms) {}

    private static final Pattern ROW = Pattern.compile(
            "^\"([^\"]+)\",\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\",\"([0-9.]+)\"",
            Pattern.MULTILINE);

    /**
     * Parses redis-benchmark's CSV: test, rps, avg, min, p50, p95, p99, max (milliseconds).
     *
     * @param csv what redis-benchmark printed
     * @return the figures
     * @throws IllegalArgumentException if there is no row
     */
    static RedisBenchmarkResult parse(String csv) {
        Map<String, Figures> tests = new LinkedHashMap<>();
        Matcher m = ROW.matcher(csv);
        while (m.find()) {
            tests.put(m.group(1), new Figures(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(5)), Double.parseDouble(m.group(7))));
        }
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("not redis-benchmark --csv output: " + csv);
        }
        return new RedisBenchmarkResult(tests);
    }
}
