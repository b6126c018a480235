package net.corosio;

/** How a {@link Server#shutdown} ended. */
public enum ShutdownOutcome {
    /** Every handler finished within the grace period. */
    GRACEFUL,
    /** The grace period ran out and the remaining connections were aborted. */
    FORCED
}
