package net.corosio.lab.tck;

import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;

/**
 * The kit, bound to whichever backend the lab is checking at the moment. The launcher runs one
 * backend at a time, so a static binding is enough.
 */
public class LabKit extends TransportKit {

    private static volatile TransportProvider provider;
    private static volatile TransportConfig config = TransportConfig.defaults();

    static void bind(TransportProvider provider, TransportConfig config) {
        LabKit.provider = provider;
        LabKit.config = config;
    }

    @Override
    protected TransportProvider provider() {
        return provider;
    }

    @Override
    protected TransportConfig config() {
        return config;
    }
}
