package net.corosio.tck.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.corosio.tck.Kit;

/**
 * What SPEC.md group 11 says a transport must see under each fault, as data: the kit's fault
 * rules assert it, and {@code corosio faults} marks every cell that departs from it. Besides the
 * outcome, every scenario must lose, duplicate and corrupt nothing, leave no connection open, and
 * know its outcome within the bounds below.
 *
 * @param rule the SPEC.md rule, {@code "11.2"}
 * @param outcome the outcome the transport under test must see
 */
public record FaultExpectation(String rule, String outcome) {

    /** How soon a reset must be known: the kit's "promptly". */
    public static final Duration PROMPTLY = Kit.scaled(Duration.ofSeconds(2));

    /** How much later than its timeout a timeout may fire, on a shared machine. */
    public static final Duration LATE = Kit.scaled(Duration.ofSeconds(2));

    /** How much earlier than its delay a timer may seem to fire, by another thread's clock. */
    public static final Duration EARLY = Duration.ofMillis(50);

    /**
     * Returns what the spec expects in a scenario.
     *
     * @param scenario the scenario
     * @return the expectation
     */
    public static FaultExpectation of(FaultScenario scenario) {
        return switch (scenario.fault()) {
            case LATENCY, BANDWIDTH, SLICER -> new FaultExpectation("11.1", FaultOutcome.SUCCESS);
            case LIMIT_DATA -> new FaultExpectation("11.2", scenario.transportSends() ? "RESET"
                    : scenario.tls() ? "TLS_TRUNCATED" : FaultOutcome.END_OF_STREAM);
            case RESET_PEER -> new FaultExpectation("11.3", "RESET");
            case TIMEOUT -> new FaultExpectation("11.4", "READ_TIMEOUT");
            case SLOW_CLOSE -> new FaultExpectation("11.5", FaultOutcome.SUCCESS);
            case DOWN -> new FaultExpectation("11.6", "REFUSED");
        };
    }

    /**
     * Lists every way an outcome departs from this expectation.
     *
     * @param scenario the scenario that ran
     * @param seen what it showed
     * @return the departures, each a sentence; empty if the outcome is what the spec says
     */
    public List<String> departures(FaultScenario scenario, FaultOutcome seen) {
        List<String> departures = new ArrayList<>();
        if (!seen.outcome().equals(outcome)) {
            departures.add("saw " + seen.outcome() + " where SPEC " + rule + " expects " + outcome
                    + (seen.detail() == null ? "" : " (" + seen.detail() + ")"));
        }
        count(departures, seen.lost(), "lost");
        count(departures, seen.duplicated(), "duplicated");
        count(departures, seen.corrupted(), "corrupted");
        if (seen.leftOpen() > 0) {
            departures.add(seen.leftOpen() + " connection(s) still open after the scenario closed everything");
        }
        if (!seen.outcome().equals(outcome)) {
            return departures; // the timing of the wrong outcome says nothing more
        }
        switch (scenario.fault()) {
            case RESET_PEER, LIMIT_DATA -> atMost(departures, seen.detectMillis(), PROMPTLY, "the fault was known");
            case TIMEOUT -> {
                atLeast(departures, seen.detectMillis(), FaultRun.BLACK_HOLE_READ_TIMEOUT, "READ_TIMEOUT fired");
                atMost(departures, seen.detectMillis(), FaultRun.BLACK_HOLE_READ_TIMEOUT.plus(LATE), "READ_TIMEOUT fired");
            }
            case SLOW_CLOSE -> {
                wholeStream(departures, seen);
                // Over TLS the end-of-stream is the close_notify record, which is data and is not held back.
                if (!scenario.transportSends() && !scenario.tls()) {
                    atLeast(departures, seen.detectMillis(), PathFault.SLOW_CLOSE_DELAY, "the end-of-stream arrived");
                }
            }
            case LATENCY, BANDWIDTH, SLICER -> wholeStream(departures, seen);
            case DOWN -> {
                // refused: nothing was sent
            }
        }
        return departures;
    }

    private static void wholeStream(List<String> departures, FaultOutcome seen) {
        if (seen.delivered() != seen.sent() || seen.sent() != FaultRun.STREAM_BYTES) {
            departures.add("delivered " + seen.delivered() + " of " + seen.sent() + " bytes sent ("
                    + FaultRun.STREAM_BYTES + " in the stream)");
        }
    }

    private static void count(List<String> departures, long bytes, String what) {
        if (bytes != 0) {
            departures.add(bytes + " bytes " + what);
        }
    }

    private static void atLeast(List<String> departures, double millis, Duration bound, String what) {
        if (millis < bound.minus(EARLY).toMillis()) {
            departures.add(what + " after " + format(millis) + " ms, sooner than " + bound.toMillis() + " ms");
        }
    }

    private static void atMost(List<String> departures, double millis, Duration bound, String what) {
        if (millis > bound.toMillis()) {
            departures.add(what + " after " + format(millis) + " ms, later than " + bound.toMillis() + " ms");
        }
    }

    private static String format(double millis) {
        return String.format(Locale.ROOT, "%.0f", millis);
    }
}
