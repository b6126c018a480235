package net.corosio.tck.faults;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Where fault-injecting proxies come from: the seam between a fault scenario and the thing that
 * breaks the network path. Two implementations exist: {@link LocalFaultInjector}, a proxy built
 * into the kit that needs nothing but the JDK, and (in the lab's tests) one that drives a real
 * Toxiproxy started by Testcontainers where a Docker engine is present. A scenario written against
 * this interface runs unchanged on either.
 *
 * <p>Closing the injector closes every proxy it made. Implementations are thread-safe.
 */
public interface FaultInjector extends AutoCloseable {

    /**
     * Returns a short name for reports: {@code "built-in"}, {@code "toxiproxy"}.
     *
     * @return the name
     */
    String name();

    /**
     * Starts a proxy that listens on a new loopback port and forwards every connection to {@code
     * upstream}, with no toxic yet.
     *
     * @param name the proxy's name, unique within this injector
     * @param upstream where connections are forwarded
     * @return the running proxy
     * @throws IOException if it cannot listen
     * @throws IllegalArgumentException if the name is taken
     */
    FaultProxy proxy(String name, InetSocketAddress upstream) throws IOException;

    /**
     * Returns whether the injector can apply a toxic (a given kind, with these parameters); a
     * scenario skips what its injector cannot do, and says so.
     *
     * @param toxic the toxic
     * @return whether {@link FaultProxy#addToxic} accepts it
     */
    boolean supports(Toxic toxic);

    /** Closes every proxy this injector made and releases what it holds. Idempotent. */
    @Override
    void close();
}
