package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * How the kit checks that a timeout fires on time: at two values (a timer that ignores the value,
 * or rounds it, misses one), no sooner than the timeout after the last progress, and not much
 * later — tight enough that a timer rounding up to whole seconds fails.
 */
final class Timing {

    /** The two values each timeout is checked at. */
    static final List<Duration> TIMEOUTS = List.of(Kit.scaled(Duration.ofMillis(100)), Kit.scaled(Duration.ofMillis(400)));

    /** How much later than its timeout a failure may come on a loaded machine. */
    static final Duration LATE = Kit.scaled(Duration.ofMillis(300));

    /** Clock slack below a timeout: measured from an event the backend saw after the test did. */
    static final Duration EARLY = Duration.ofMillis(20);

    /** How long a peer keeps a connection making progress before it stalls. */
    static final Duration PROGRESS = Kit.scaled(Duration.ofMillis(250));

    /** How often a steady peer moves a little data during {@link #PROGRESS}. */
    private static final Duration STEP = Kit.scaled(Duration.ofMillis(25));

    private Timing() {}

    /**
     * Asserts that a timeout fired on time.
     *
     * @param took the time from the last progress the backend saw to the failure
     * @param timeout the timeout
     * @param what the timeout, for the failure message
     */
    static void assertOnTime(Duration took, Duration timeout, String what) {
        assertNotSooner(took, timeout, what);
        assertNotLater(took, timeout, what);
    }

    /**
     * Asserts that a timeout did not fire before its time.
     *
     * @param took the time from the last progress the backend can have seen to the failure
     * @param timeout the timeout
     * @param what the timeout, for the failure message
     */
    static void assertNotSooner(Duration took, Duration timeout, String what) {
        assertTrue(took.compareTo(timeout.minus(EARLY)) >= 0, () -> what + " of " + timeout + " fired after only " + took);
    }

    /**
     * Asserts that a timeout (or a bounded call) did not fire much after its time.
     *
     * @param took the time from the last progress to the failure
     * @param timeout the timeout
     * @param what the timeout, for the failure message
     */
    static void assertNotLater(Duration took, Duration timeout, String what) {
        assertTrue(took.compareTo(timeout.plus(LATE)) <= 0,
                () -> what + " of " + timeout + " took " + took + ", more than " + LATE + " too long");
    }

    /**
     * Returns the time since {@code startNanos}.
     *
     * @param startNanos a {@link System#nanoTime()}
     * @return the time elapsed
     */
    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Reads {@link Stalls#SMALL_BUFFER} bytes every {@link #STEP} for {@link #PROGRESS}, so that a
     * writer stuck on this peer keeps making progress, then stops. Each read takes what a small
     * receive window holds: the receiver announces freed room only in large steps (avoiding the
     * silly window syndrome), so reads of a few KiB would leave the writer without progress for
     * longer than a short timeout.
     *
     * @param peer an oracle socket whose writer has filled the buffers
     * @return the {@link System#nanoTime()} just after the last read
     * @throws Exception if reading fails
     */
    static long readSteadilyThenStop(Socket peer) throws Exception {
        InputStream in = peer.getInputStream();
        long end = System.nanoTime() + PROGRESS.toNanos();
        long last;
        do {
            Peer.readFully(in, Stalls.SMALL_BUFFER);
            last = System.nanoTime();
            Thread.sleep(STEP.toMillis());
        } while (System.nanoTime() < end);
        return last;
    }

    /**
     * Writes a byte every {@link #STEP} for {@link #PROGRESS}, then stops.
     *
     * @param peer an oracle socket
     * @return the {@link System#nanoTime()} just before the last write
     * @throws Exception if writing fails
     */
    static long writeSteadilyThenStop(Socket peer) throws Exception {
        OutputStream out = peer.getOutputStream();
        long end = System.nanoTime() + PROGRESS.toNanos();
        long last;
        do {
            last = System.nanoTime();
            out.write(7);
            out.flush();
            Thread.sleep(STEP.toMillis());
        } while (System.nanoTime() < end);
        return last;
    }
}
