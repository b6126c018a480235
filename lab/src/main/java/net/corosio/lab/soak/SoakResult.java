package net.corosio.lab.soak;

import java.util.List;
import java.util.Map;

/**
 * One backend's soak.
 *
 * @param backend the backend
 * @param outcomes client cycles by outcome: {@code ok}, {@code cut} (failed under a fault that
 *     cuts the path, as expected), {@code unexpected} (failed under a fault that only delays, or
 *     none)
 * @param unexpected the first few unexpected failures
 * @param damagedBytes bytes that came back lost, duplicated or corrupted
 * @param samples the server's readings, each after a full GC
 * @param trends a line fitted to each resource after the warm-up, with its verdict
 * @param after the reading once every client had gone
 * @param failures every reason the soak failed on this backend
 */
public record SoakResult(
        String backend, Map<String, Long> outcomes, List<String> unexpected, long damagedBytes, List<SoakSample> samples,
        List<Trend> trends, SoakSample after, List<String> failures) {

    /** Copies the collections. */
    public SoakResult {
        outcomes = Map.copyOf(outcomes);
        unexpected = List.copyOf(unexpected);
        samples = List.copyOf(samples);
        trends = List.copyOf(trends);
        failures = List.copyOf(failures);
    }
}
