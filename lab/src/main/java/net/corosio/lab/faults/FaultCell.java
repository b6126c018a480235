package net.corosio.lab.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.corosio.tck.faults.FaultExpectation;
import net.corosio.tck.faults.FaultOutcome;
import net.corosio.tck.faults.FaultScenario;

/**
 * One cell of {@code corosio faults}: a variant under one scenario, what SPEC.md expects, what was
 * seen, and every departure. Written to the results file as is (see {@code lab/RESULTS.md}).
 *
 * @param variant the variant's label ({@code netty/epoll})
 * @param backend the backend's name
 * @param properties the backend properties
 * @param executor the handler executor
 * @param fault the fault's Toxiproxy name
 * @param parameters the fault's parameters, in words
 * @param direction {@code upstream} or {@code downstream}: the fault's way and the stream's
 * @param role {@code client} or {@code server}: the backend's end
 * @param tls whether the connection is TLS
 * @param rule the SPEC.md rule
 * @param expected the outcome the rule expects
 * @param status {@code ok}, {@code departs} or {@code skipped}
 * @param outcome what the backend saw (see {@link FaultOutcome#outcome()}), or null when skipped
 * @param peerOutcome what the JDK end saw
 * @param detectMillis time to detect (see {@link FaultOutcome#detectMillis()})
 * @param elapsedMillis from the start of the stream to the backend's outcome
 * @param sent stream bytes the sender's writes accepted
 * @param forwarded bytes the proxy forwarded the stream's way after the fault was on, -1 unknown
 * @param received stream bytes the receiving application read
 * @param delivered of those, intact and in order
 * @param lost bytes lost (see {@link FaultOutcome#lost()})
 * @param duplicated bytes duplicated
 * @param corrupted bytes corrupted
 * @param leftOpen connections the backend still counted afterwards
 * @param detail the failure's message, a receipt, or why the cell was skipped
 * @param departures every way the cell departs from SPEC.md or from the other variants
 */
public record FaultCell(
        String variant, String backend, Map<String, String> properties, String executor,
        String fault, String parameters, String direction, String role, boolean tls,
        String rule, String expected, String status, String outcome, String peerOutcome,
        double detectMillis, double elapsedMillis, long sent, long forwarded, long received, long delivered,
        long lost, long duplicated, long corrupted, long leftOpen, String detail, List<String> departures) {

    /** Copies the collections. */
    public FaultCell {
        properties = Map.copyOf(properties);
        departures = List.copyOf(departures);
    }

    /**
     * Builds a cell from a scenario's outcome, judged against the spec.
     *
     * @param variant the variant
     * @param scenario the scenario
     * @param seen what it showed
     * @return the cell
     */
    static FaultCell of(Variant variant, FaultScenario scenario, FaultOutcome seen) {
        FaultExpectation expected = FaultExpectation.of(scenario);
        List<String> departures = expected.departures(scenario, seen);
        return new FaultCell(variant.label(), variant.backend(), variant.properties(), variant.executor(),
                scenario.fault().label(), scenario.fault().parameters(), scenario.direction().label(), role(scenario),
                scenario.tls(), expected.rule(), expected.outcome(), departures.isEmpty() ? "ok" : "departs",
                seen.outcome(), seen.peerOutcome(), seen.detectMillis(), seen.elapsedMillis(), seen.sent(),
                seen.forwarded(), seen.received(), seen.delivered(), seen.lost(), seen.duplicated(), seen.corrupted(),
                seen.leftOpen(), seen.detail(), departures);
    }

    /**
     * Builds a cell that did not run.
     *
     * @param variant the variant
     * @param scenario the scenario
     * @param reason why
     * @return the cell
     */
    static FaultCell skipped(Variant variant, FaultScenario scenario, String reason) {
        FaultExpectation expected = FaultExpectation.of(scenario);
        return new FaultCell(variant.label(), variant.backend(), variant.properties(), variant.executor(),
                scenario.fault().label(), scenario.fault().parameters(), scenario.direction().label(), role(scenario),
                scenario.tls(), expected.rule(), expected.outcome(), "skipped", null, null, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0,
                reason, List.of());
    }

    private static String role(FaultScenario scenario) {
        return scenario.role().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Returns the scenario's key, the same for every variant: fault, direction, role, TLS.
     *
     * @return the key
     */
    public String scenarioKey() {
        return fault + " " + direction + " " + role + (tls ? " tls" : " plain");
    }

    /**
     * Returns whether the cell ran.
     *
     * @return false if it was skipped
     */
    public boolean ran() {
        return !status.equals("skipped");
    }

    /**
     * Returns a copy with one more departure.
     *
     * @param departure the sentence
     * @return the copy, its status {@code departs}
     */
    FaultCell withDeparture(String departure) {
        List<String> more = new ArrayList<>(departures);
        more.add(departure);
        return new FaultCell(variant, backend, properties, executor, fault, parameters, direction, role, tls, rule,
                expected, "departs", outcome, peerOutcome, detectMillis, elapsedMillis, sent, forwarded, received,
                delivered, lost, duplicated, corrupted, leftOpen, detail, more);
    }
}
