package net.corosio.tck.selftest;

import java.util.Set;
import java.util.function.UnaryOperator;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.loom.LoomTransportProvider;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;

/**
 * The kit, bound to whichever broken backend {@link KitVerdict} is running it: the reference
 * backend (loom) wrapped by a {@link ForwardingTransport} that breaks one thing. The launcher runs
 * one backend at a time, so a static binding is enough. Not a test class of its own (its name does
 * not end in Test).
 */
public class BrokenKit extends TransportKit {

    private static volatile TransportProvider provider;

    static void bind(String name, UnaryOperator<Transport> breakage) {
        provider = new Broken(name, breakage);
    }

    @Override
    protected TransportProvider provider() {
        return provider;
    }

    /** A provider whose transports are the reference backend's, wrapped. */
    private record Broken(String name, UnaryOperator<Transport> breakage) implements TransportProvider {
        private static final TransportProvider WORKING = new LoomTransportProvider();

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public Set<Capability> capabilities() {
            return WORKING.capabilities();
        }

        @Override
        public Transport create(TransportConfig config) throws TransportException {
            return breakage.apply(WORKING.create(config));
        }
    }
}
