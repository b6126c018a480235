package net.corosio.nio;

import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;

/** Runs the compatibility kit against the nio backend. */
class NioConformanceTest extends TransportKit {

    @Override
    protected TransportProvider provider() {
        return new NioTransportProvider();
    }
}
