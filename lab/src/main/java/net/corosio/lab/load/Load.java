package net.corosio.lab.load;

import java.io.IOException;

/** One scenario's traffic against a server, generated on the lab's own NIO loop. */
public interface Load extends AutoCloseable {

    /**
     * Connects and starts the traffic; returns once it is flowing.
     *
     * @throws IOException if the server cannot be reached
     */
    void start() throws IOException;

    /**
     * Returns what the load records; cut it at the start and end of the measurement window.
     *
     * @return the stats
     */
    LoadStats stats();

    /** Stops the traffic and closes every connection. */
    @Override
    void close();
}
