package net.corosio.lab.overload;

import java.util.List;
import java.util.Map;

/**
 * One overload scenario on one backend: what the clients saw, what the server JVM spent, and
 * whether it held.
 *
 * @param backend the backend
 * @param scenario {@code accept-storm}, {@code idle-connections}, {@code slow-consumers} or
 *     {@code handshake-flood}
 * @param status {@code ok}, {@code failed}, or {@code environment} (the machine cannot run it:
 *     the reason says what to change)
 * @param reason why it failed or could not run, or null
 * @param figures the scenario's own figures (see lab/RESULTS.md)
 * @param server the server JVM: {@code before} (after a full GC), {@code peak} (highest of the
 *     samples taken while it ran) and {@code after} (once every client had closed, after a full GC)
 *     heap, RSS, descriptors, threads and open connections
 * @param failures every check that did not hold
 */
public record OverloadResult(
        String backend, String scenario, String status, String reason, Map<String, Object> figures,
        Map<String, Map<String, Long>> server, List<String> failures) {

    /** Copies the collections. */
    public OverloadResult {
        figures = Map.copyOf(figures);
        server = Map.copyOf(server);
        failures = List.copyOf(failures);
    }
}
