package net.corosio.tck.faults;

import java.time.Duration;

/**
 * The faults a scenario puts on the network path, one per Toxiproxy toxic plus {@link #DOWN}, each
 * with the parameters the kit and {@code corosio faults} use. {@link #toxic} builds the toxic;
 * SPEC.md group 11 says what a transport must do under each (see {@link FaultExpectation}).
 */
public enum PathFault {
    /** 10 ms ± 5 ms added to every chunk. */
    LATENCY("latency", "10 ms +/- 5 ms per chunk"),
    /** 2 MB/s. */
    BANDWIDTH("bandwidth", "2 MB/s"),
    /** Segments of 1 to 127 bytes, 50 µs apart: TLS records split across many TCP segments. */
    SLICER("slicer", "segments of 64 +/- 63 bytes, 50 us apart"),
    /** The path closes after 40,007 bytes: mid-record for TLS. */
    LIMIT_DATA("limit_data", "close after 40007 bytes"),
    /** The path resets both ends after 40,007 bytes: mid-record for TLS. */
    RESET_PEER("reset_peer", "reset both ends after 40007 bytes"),
    /** A black hole: data is dropped, nothing is closed. */
    TIMEOUT("timeout", "black hole: drop everything, hold the connection"),
    /** The end-of-stream is held back 300 ms. */
    SLOW_CLOSE("slow_close", "FIN held back 300 ms"),
    /** The path is down before the connect: nothing listens. */
    DOWN("down", "path down: nothing listens");

    /** Where {@link #LIMIT_DATA} and {@link #RESET_PEER} cut: not a multiple of any record or word size. */
    public static final long CUT_AFTER_BYTES = 40_007;

    /** How long {@link #SLOW_CLOSE} holds the end-of-stream back. */
    public static final Duration SLOW_CLOSE_DELAY = Duration.ofMillis(300);

    private final String label;
    private final String parameters;

    PathFault(String label, String parameters) {
        this.label = label;
        this.parameters = parameters;
    }

    /**
     * Returns the Toxiproxy name ({@code "limit_data"}, {@code "down"}).
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Describes the parameters, for reports.
     *
     * @return e.g. {@code "2 MB/s"}
     */
    public String parameters() {
        return parameters;
    }

    /**
     * Returns the toxic that makes this fault.
     *
     * @return the toxic
     * @throws IllegalStateException for {@link #DOWN}, which is not a toxic but a disabled proxy
     */
    public Toxic toxic() {
        return switch (this) {
            case LATENCY -> new Toxic.Latency(Duration.ofMillis(10), Duration.ofMillis(5));
            case BANDWIDTH -> new Toxic.Bandwidth(2_000_000);
            case SLICER -> new Toxic.Slicer(64, 63, Duration.ofNanos(50_000));
            case LIMIT_DATA -> new Toxic.LimitData(CUT_AFTER_BYTES);
            case RESET_PEER -> Toxic.ResetPeer.afterBytes(CUT_AFTER_BYTES);
            case TIMEOUT -> new Toxic.Timeout(Duration.ZERO);
            case SLOW_CLOSE -> new Toxic.SlowClose(SLOW_CLOSE_DELAY);
            case DOWN -> throw new IllegalStateException("down is a disabled proxy, not a toxic");
        };
    }

    /**
     * Parses a label.
     *
     * @param label e.g. {@code "reset_peer"} or {@code "reset-peer"}
     * @return the fault
     * @throws IllegalArgumentException naming the labels if none matches
     */
    public static PathFault of(String label) {
        for (PathFault fault : values()) {
            if (fault.label.equals(label.replace('-', '_'))) {
                return fault;
            }
        }
        throw new IllegalArgumentException("no fault '" + label + "'; the faults are "
                + java.util.Arrays.stream(values()).map(PathFault::label).toList());
    }
}
