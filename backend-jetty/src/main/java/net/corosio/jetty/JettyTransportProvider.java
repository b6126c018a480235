package net.corosio.jetty;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.spi.TransportProvider;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.Jetty;

/**
 * The jetty backend's provider: Jetty 12 {@code jetty-io} alone — a {@code SelectorManager} for
 * accepted sockets, a {@code ClientConnector} for client sockets, {@code SslConnection} for TLS,
 * Jetty's {@code ByteBufferPool} for buffers and its {@code Scheduler} for timeouts.
 *
 * <p>{@link TransportConfig#ioThreads()} is the number of selectors of each of the two selector
 * managers (servers and clients); 0 picks half the processors, at least 1 and at most 4. The
 * property {@code jetty.selectors} overrides it.
 *
 * <p>{@link Capability#EVENT_LOOP_HANDLERS}: a server asked for {@code HandlerExecutors.eventLoop()}
 * gets a third set of selectors, as many, whose loops carry its handlers ({@link CarriedSelector}).
 */
public final class JettyTransportProvider implements TransportProvider {

    /** The name to select this backend by. */
    public static final String NAME = "jetty";

    private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.TLS, Capability.TLS_ALPN,
            Capability.TLS_CLIENT_AUTH, Capability.TLS_HALF_CLOSE, Capability.IPV6, Capability.EVENT_LOOP_HANDLERS);

    private final Supplier<? extends ByteBufferPool> pools;

    /** Creates the provider; does nothing else. */
    public JettyTransportProvider() {
        this(ArrayByteBufferPool::new);
    }

    /**
     * Creates a provider whose transports take their buffer pool from {@code pools}, so that tests
     * can hand in a tracking pool and check that every buffer came back.
     *
     * @param pools called once per transport
     */
    JettyTransportProvider(Supplier<? extends ByteBufferPool> pools) {
        this.pools = Objects.requireNonNull(pools, "pools");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Between the reference backend (10) and Netty (40). */
    @Override
    public int priority() {
        return 30;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String description() {
        return "Jetty " + Jetty.VERSION + " jetty-io (selectors, SocketChannelEndPoint, SslConnection)";
    }

    @Override
    public Transport create(TransportConfig config) throws TransportException {
        Objects.requireNonNull(config, "config");
        return new JettyTransport(CAPABILITIES, JettyIo.start(config, pools.get()));
    }
}
