package net.corosio.tck.faults;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One fault-injecting TCP proxy: clients connect to {@link #listenAddress()}, and each connection
 * is forwarded to the upstream address through the toxics added so far, in the order they were
 * added. Toxics added or removed while connections are open apply to them too. The vocabulary is
 * Toxiproxy's; see {@link Toxic}.
 *
 * <p>Thread-safe. Closing the proxy stops listening and resets every connection it holds.
 */
public interface FaultProxy extends AutoCloseable {

    /**
     * Returns the proxy's name.
     *
     * @return the name given to {@link FaultInjector#proxy}
     */
    String name();

    /**
     * Returns where clients connect.
     *
     * @return the listening address (the same while the proxy is disabled and enabled again)
     */
    InetSocketAddress listenAddress();

    /**
     * Adds a toxic.
     *
     * @param name the toxic's name, unique within this proxy
     * @param direction which way it acts
     * @param toxic what it does
     * @throws IllegalArgumentException if the name is taken
     * @throws UnsupportedOperationException if the injector cannot apply this toxic (see {@link
     *     FaultInjector#supports})
     */
    void addToxic(String name, Direction direction, Toxic toxic);

    /**
     * Removes a toxic; the connections it acted on go on without it. Removing a name that is not
     * there does nothing.
     *
     * @param name the toxic's name
     */
    void removeToxic(String name);

    /**
     * Takes the path down, as Toxiproxy's "disable" does: new connects are refused and every open
     * connection is reset. Idempotent.
     */
    void disable();

    /**
     * Brings the path back up on the same listening address. Idempotent.
     *
     * @throws IllegalStateException if the address cannot be bound again
     */
    void enable();

    /**
     * Returns what the proxy counted, where the implementation can count it.
     *
     * @return the counters, or empty (a proxy outside this JVM cannot count)
     */
    Optional<ProxyCounters> counters();

    /** Stops listening and resets every open connection. Idempotent. */
    @Override
    void close();
}
