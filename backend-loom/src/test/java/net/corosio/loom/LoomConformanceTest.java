package net.corosio.loom;

import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;

/** Runs the compatibility kit against the loom backend. */
class LoomConformanceTest extends TransportKit {

    @Override
    protected TransportProvider provider() {
        return new LoomTransportProvider();
    }
}
