package net.corosio.jetty;

import java.nio.channels.ClosedChannelException;

/** What the bridge needs to know about the exceptions Jetty hands it. */
final class Failures {

    private static final int MAX_CAUSE_DEPTH = 8;

    private Failures() {}

    /**
     * Returns whether {@code failure} (or one of its causes) only says that the channel was
     * closed. Jetty fails a pending fill or write that way when the end point closes: the close
     * itself is what the connection reports, not the callbacks it failed.
     *
     * @param failure the exception
     * @return whether it stands for a closed channel
     */
    // @corrects close-with-pending-read: Jetty fails a pending fill with ClosedChannelException when
    // the end point closes; the close itself is reported (CLOSED by the application, else RESET).
    static boolean isClosedChannel(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }
}
