package net.corosio.lab.server;

import java.net.InetSocketAddress;

/** A baseline server written directly on a library, not through the API. */
interface NativeServer extends AutoCloseable {

    /**
     * Returns where it listens.
     *
     * @return the bound address
     */
    InetSocketAddress localAddress();

    @Override
    void close();
}
