package net.corosio.spi;

/**
 * The wait at the heart of a graceful close on an event loop: after our end-of-stream has been
 * queued, what the peer still sends is discarded until it ends its side or stays quiet for {@link
 * ConnectionState#LINGER_QUIET}. Releasing a socket with unread input makes the kernel reset the
 * connection and drop what it has not sent yet; lingering is what lets a peer that is still sending
 * (a pipelined request, a TLS 1.3 session ticket) get every byte and a clean end.
 */
final class LingeringClose {

    private LingeringClose() {}

    /**
     * Waits until the peer has ended its stream or stayed quiet, the socket has been released or
     * has failed (a peer's reset ends the wait as its end-of-stream does), or {@code deadline} has
     * passed.
     *
     * @param inbound the connection's inbound queue, in discard mode
     * @param arrivals signalled on every arrival (the reader's signal)
     * @param released whether the socket is gone, or failed
     * @param deadline a {@link System#nanoTime()} value
     * @return {@code false} if the deadline passed (or the closer was interrupted) while the peer
     *     was still sending
     */
    static boolean linger(InboundQueue inbound, Signal arrivals, java.util.function.BooleanSupplier released,
            long deadline) {
        long quiet = ConnectionState.LINGER_QUIET.toNanos();
        while (!inbound.isEnded() && !released.getAsBoolean()) {
            long seen = inbound.lastArrival();
            long now = System.nanoTime();
            if (now - seen >= quiet) {
                return true;
            }
            if (now - deadline >= 0) {
                return false;
            }
            long until = deadline - (seen + quiet) < 0 ? deadline : seen + quiet;
            if (!arrivals.await(() -> inbound.isEnded() || released.getAsBoolean() || inbound.lastArrival() != seen, until)
                    && Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }
}
