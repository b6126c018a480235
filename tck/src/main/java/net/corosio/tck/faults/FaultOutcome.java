package net.corosio.tck.faults;

/**
 * What one {@link FaultScenario} showed. The byte counts are the receiving end's (whichever end
 * that is), because that is where loss and corruption show.
 *
 * @param outcome what the transport under test saw: {@value #SUCCESS} (the whole stream, then a
 *     clean end), {@value #END_OF_STREAM} (a clean end before the stream was complete), an {@code
 *     ErrorKind} name, {@value #HUNG} (nothing within the scenario's deadline), or {@code "setup: …"}
 *     when the connection failed before the fault was put on the path
 * @param peerOutcome what the JDK end saw, in the same words (its {@code SSLSocket} cannot tell a
 *     truncated TLS stream from a complete one, so it is recorded, not judged)
 * @param detectMillis from the fault's first effect (the reset, the cut, the first byte withheld,
 *     the held-back end-of-stream; for faults that only slow the path, the start of the stream) to
 *     the moment the transport under test knew its outcome
 * @param elapsedMillis from the start of the stream to the transport's outcome
 * @param sent stream bytes the sender's writes accepted
 * @param forwarded bytes the proxy wrote towards the receiver once the fault was on (for TLS,
 *     record bytes), or -1 where the injector cannot count
 * @param received stream bytes the receiving application read
 * @param delivered received bytes that are the stream's, intact and in order
 * @param lost bytes the receiving end should have delivered and did not: gaps inside what it
 *     received, and, when it saw a clean end, bytes the proxy forwarded (plain TCP) or the sender
 *     wrote (a complete TLS stream) that never reached the application
 * @param duplicated bytes received twice
 * @param corrupted bytes received altered
 * @param leftOpen connections the transport still counted open once the scenario had closed
 *     everything (see {@code Transport.metrics()})
 * @param detail the failure's message, or what a sender's receipt said
 */
public record FaultOutcome(
        String outcome,
        String peerOutcome,
        double detectMillis,
        double elapsedMillis,
        long sent,
        long forwarded,
        long received,
        long delivered,
        long lost,
        long duplicated,
        long corrupted,
        long leftOpen,
        String detail) {

    /** The whole stream arrived and ended cleanly. */
    public static final String SUCCESS = StreamScript.SUCCESS;

    /** The stream ended cleanly before it was complete. */
    public static final String END_OF_STREAM = StreamScript.END_OF_STREAM;

    /** The scenario did not finish within its deadline. */
    public static final String HUNG = "hung";
}
