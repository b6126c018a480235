package net.corosio.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import net.corosio.ErrorKind;
import net.corosio.TlsConfig;
import net.corosio.TransportException;
import net.corosio.spi.TlsEngines;

/**
 * BoringSSL engines (netty-tcnative): one native context per distinct {@link TlsConfig} and side,
 * built from the config's protocols, cipher suites, ALPN protocols, client authentication and host
 * name verification, with the key and trust managers of its {@code SSLContext} ({@link
 * SslContextKeys}). Contexts are reference-counted and released when the transport closes; each
 * engine holds its own reference, released with its {@code SslHandler}.
 */
final class OpenSslEngines implements TlsEngineFactory {

    private record Key(TlsConfig config, boolean server) {}

    private final Map<Key, SslContext> contexts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private OpenSslEngines() {}

    /**
     * Checks that OpenSSL can be used here and creates the factory.
     *
     * @return the factory
     * @throws TransportException if netty-tcnative is unavailable or the JDK's key managers cannot be read
     */
    static OpenSslEngines create() throws TransportException {
        if (!OpenSsl.isAvailable()) {
            throw new TransportException(ErrorKind.IO, PROPERTY + "=openssl was asked for, but netty-tcnative cannot"
                    + " be loaded on this machine: " + OpenSsl.unavailabilityCause(), OpenSsl.unavailabilityCause());
        }
        SslContextKeys.checkAccessible();
        return new OpenSslEngines();
    }

    @Override
    public ServerEngines server(TlsConfig config) throws TransportException {
        SslContext context = context(new Key(config, true));
        return context::newHandler;
    }

    @Override
    public SslHandler client(TlsConfig config, InetSocketAddress address, ByteBufAllocator alloc)
            throws TransportException {
        // The peer host names the server for SNI (unless it is an IP literal) and for verification.
        return context(new Key(config, false)).newHandler(alloc, TlsEngines.peerHost(config, address), address.getPort());
    }

    private SslContext context(Key key) throws TransportException {
        SslContext context = contexts.get(key);
        if (context != null) {
            return context;
        }
        SslContext built = build(key);
        SslContext raced = contexts.putIfAbsent(key, built);
        if (raced != null) {
            ReferenceCountUtil.release(built);
            return raced;
        }
        if (closed) { // close() may have run between the check and the put
            contexts.remove(key, built);
            ReferenceCountUtil.release(built);
            throw new IllegalStateException("transport netty is closed");
        }
        return built;
    }

    private static SslContext build(Key key) throws TransportException {
        TlsConfig config = key.config();
        SslContextKeys keys = SslContextKeys.of(config.context());
        SslContextBuilder builder = key.server()
                ? SslContextBuilder.forServer(keys.keyManager()).clientAuth(clientAuth(config))
                : SslContextBuilder.forClient().keyManager(keys.keyManager())
                        .endpointIdentificationAlgorithm(config.hostnameVerification() ? "HTTPS" : null);
        builder.sslProvider(SslProvider.OPENSSL_REFCNT)
                .trustManager(keys.trustManager())
                .protocols(config.protocols());
        if (!config.cipherSuites().isEmpty()) {
            builder.ciphers(config.cipherSuites());
        }
        List<String> alpn = config.applicationProtocols();
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    // As the JDK does: no overlap means no protocol agreed, not a failed handshake.
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    alpn));
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TransportException(ErrorKind.TLS_HANDSHAKE,
                    "cannot build an OpenSSL context from the TLS configuration: " + e.getMessage(), e);
        }
    }

    private static ClientAuth clientAuth(TlsConfig config) {
        return switch (config.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case WANT -> ClientAuth.OPTIONAL;
            case NEED -> ClientAuth.REQUIRE;
        };
    }

    @Override
    public void close() {
        closed = true;
        for (Key key : List.copyOf(contexts.keySet())) {
            SslContext context = contexts.remove(key);
            if (context != null) {
                ReferenceCountUtil.release(context);
            }
        }
    }

    @Override
    public String toString() {
        return "openssl (" + OpenSsl.versionString() + ")";
    }
}
