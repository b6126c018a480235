package net.corosio.tck.faults;

/**
 * One cell of the fault matrix: a fault on the path, the direction it acts in (the checksummed
 * stream flows that way too), whether the transport under test is the client or the server, and
 * whether the connection is TLS. The other end is the JDK's own sockets.
 *
 * @param fault what the path does
 * @param direction which way the fault acts, and the stream flows
 * @param role which end of the connection the transport under test is
 * @param tls whether the connection is TLS (1.3)
 */
public record FaultScenario(PathFault fault, Direction direction, Role role, boolean tls) {

    /** Which end of the connection the transport under test is. */
    public enum Role {
        /** The transport connects, through the proxy, to a JDK server socket. */
        CLIENT,
        /** The transport serves; a JDK socket connects to it through the proxy. */
        SERVER
    }

    /**
     * Returns whether the transport under test writes the stream (otherwise it reads it).
     *
     * @return whether it sends
     */
    public boolean transportSends() {
        return (role == Role.CLIENT) == (direction == Direction.UPSTREAM);
    }

    /**
     * Returns whether the scenario is worth running: a path that is down reaches no server, so
     * only a client meets it, and it has no direction (the upstream cell stands for both).
     *
     * @return whether to run it
     */
    public boolean applies() {
        return fault != PathFault.DOWN || (role == Role.CLIENT && direction == Direction.UPSTREAM);
    }

    /**
     * Names the cell, for reports: {@code "reset_peer upstream client tls"}.
     *
     * @return the name
     */
    public String label() {
        return fault.label() + " " + direction.label() + " " + role.name().toLowerCase(java.util.Locale.ROOT)
                + (tls ? " tls" : " plain");
    }
}
