package net.corosio.nio;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.ErrorKind;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.spi.TransportProvider;

/**
 * The nio backend's provider: a hand-written {@code java.nio} selector loop, with TLS directly on
 * {@code SSLEngine}, and no library beyond the JDK. {@link TransportConfig#ioThreads()} sets the
 * number of I/O selector threads (default {@code min(2, cores)}); one more thread accepts for every
 * server, and one runs the timeouts.
 */
public final class NioTransportProvider implements TransportProvider {

    /** The name to select this backend by. */
    public static final String NAME = "nio";

    private static final Set<Capability> CAPABILITIES = EnumSet.of(
            Capability.TLS, Capability.TLS_ALPN, Capability.TLS_CLIENT_AUTH, Capability.TLS_HALF_CLOSE, Capability.IPV6,
            Capability.EVENT_LOOP_HANDLERS);

    /** Creates the provider; does nothing else. */
    public NioTransportProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String description() {
        return "NIO: a hand-written java.nio selector loop, TLS on SSLEngine (JDK " + Runtime.version() + ")";
    }

    @Override
    public Transport create(TransportConfig config) throws TransportException {
        int ioThreads = config.ioThreads() > 0
                ? config.ioThreads()
                : Math.min(2, Runtime.getRuntime().availableProcessors());
        try {
            return new NioTransport(CAPABILITIES, ioThreads);
        } catch (IOException e) {
            throw new TransportException(ErrorKind.IO, "nio: cannot open the selectors: " + e.getMessage(), e);
        }
    }
}
