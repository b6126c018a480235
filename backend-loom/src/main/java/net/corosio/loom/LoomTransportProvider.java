package net.corosio.loom;

import java.util.EnumSet;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;

/**
 * The loom backend's provider: blocking JDK {@code SocketChannel}s, one virtual thread per call
 * that waits, the JDK's poller underneath. It has no I/O threads of its own, so {@link
 * TransportConfig#ioThreads()} is ignored; its only platform thread is one timer per transport.
 */
public final class LoomTransportProvider implements TransportProvider {

    /** The name to select this backend by. */
    public static final String NAME = "loom";

    private static final Set<Capability> CAPABILITIES = EnumSet.of(
            Capability.TLS, Capability.TLS_ALPN, Capability.TLS_CLIENT_AUTH, Capability.TLS_HALF_CLOSE, Capability.IPV6);

    /** Creates the provider; does nothing else. */
    public LoomTransportProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    /** The reference backend yields to the event-loop backends when several are present. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String description() {
        return "Loom: blocking JDK SocketChannels on virtual threads (JDK " + Runtime.version() + ")";
    }

    @Override
    public Transport create(TransportConfig config) {
        return new LoomTransport(CAPABILITIES);
    }
}
