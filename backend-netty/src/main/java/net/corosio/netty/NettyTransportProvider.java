package net.corosio.netty;

import java.util.EnumSet;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.spi.TransportProvider;

/**
 * The netty backend's provider: Netty 4.2 event loops bridged to suspending calls.
 *
 * <p>Settings ({@link TransportConfig#property}, which falls back to system properties):
 *
 * <ul>
 *   <li>{@value IoMode#PROPERTY} = {@code nio} | {@code epoll} | {@code io_uring}: the I/O mode;
 *       by default the best available ({@code epoll}, then {@code io_uring}, then {@code nio}),
 *       logged once. A native mode asked for but unavailable fails {@link #create} with a {@link
 *       TransportException} giving Netty's reason; an unknown value with {@link
 *       IllegalArgumentException}.
 *   <li>{@value TlsEngineFactory#PROPERTY} = {@code jdk} | {@code openssl}: the TLS engine; the JDK's
 *       by default, BoringSSL (netty-tcnative) with {@code openssl}. OpenSSL needs the key and
 *       trust managers inside the {@code TlsConfig}'s {@code SSLContext}, which the JDK keeps
 *       private: the JVM must run with {@code --add-opens java.base/javax.net.ssl=<module>
 *       --add-opens java.base/sun.security.ssl=<module>} ({@code ALL-UNNAMED} on the class path),
 *       or {@link #create} fails saying so.
 * </ul>
 *
 * {@link TransportConfig#ioThreads()} is the number of event loops (0: Netty's default, twice the
 * processors).
 */
public final class NettyTransportProvider implements TransportProvider {

    /** The name to select this backend by. */
    public static final String NAME = "netty";

    private static final Set<Capability> CAPABILITIES = EnumSet.of(
            Capability.TLS, Capability.TLS_ALPN, Capability.TLS_CLIENT_AUTH, Capability.TLS_HALF_CLOSE, Capability.IPV6,
            Capability.EVENT_LOOP_HANDLERS);

    /** Creates the provider; does nothing else (no native library is loaded until {@link #create}). */
    public NettyTransportProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    /** The event-loop library most JVM runtimes use: preferred over nio (20), jetty (30) and loom (10). */
    @Override
    public int priority() {
        return 40;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String description() {
        return "Netty " + IoMode.nettyVersion() + " event loops (" + IoMode.PROPERTY + ": nio, epoll or io_uring)";
    }

    @Override
    public Transport create(TransportConfig config) throws TransportException {
        IoMode mode = IoMode.select(config);
        TlsEngineFactory tls = TlsEngineFactory.select(config);
        return new NettyTransport(CAPABILITIES, mode, config.ioThreads(), tls);
    }
}
