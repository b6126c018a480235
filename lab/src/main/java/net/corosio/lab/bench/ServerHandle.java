package net.corosio.lab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import net.corosio.lab.server.ClassHistogram;
import net.corosio.lab.server.ResourceSnapshot;

/** A server under test that the lab can drive and ask for its resource counters. */
interface ServerHandle {

    /**
     * Returns where the load goes.
     *
     * @return the server's address
     */
    InetSocketAddress address();

    /**
     * Asks the server for its resource counters.
     *
     * @param collectFirst whether it should run a full GC first
     * @return the snapshot
     * @throws IOException if the server does not answer
     */
    ResourceSnapshot snapshot(boolean collectFirst) throws IOException;

    /**
     * Asks the server for its live objects by class (after a full GC).
     *
     * @return the histogram
     * @throws IOException if the server does not answer
     */
    ClassHistogram histogram() throws IOException;
}
