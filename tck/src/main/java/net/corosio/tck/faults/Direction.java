package net.corosio.tck.faults;

/**
 * Which way through a proxy a toxic acts, in Toxiproxy's terms: {@link #UPSTREAM} is what the
 * client sends towards the server, {@link #DOWNSTREAM} what the server sends back.
 */
public enum Direction {
    /** Client to server. */
    UPSTREAM,
    /** Server to client. */
    DOWNSTREAM;

    /**
     * Returns the name Toxiproxy uses for this direction ({@code "upstream"} or {@code "downstream"}).
     *
     * @return the lower-case name
     */
    public String label() {
        return this == UPSTREAM ? "upstream" : "downstream";
    }

    /**
     * Returns the other direction.
     *
     * @return the reverse
     */
    public Direction reverse() {
        return this == UPSTREAM ? DOWNSTREAM : UPSTREAM;
    }
}
