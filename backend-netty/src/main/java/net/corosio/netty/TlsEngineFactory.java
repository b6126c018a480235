package net.corosio.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.Locale;
import net.corosio.TlsConfig;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import net.corosio.spi.TlsEngines;

/**
 * Where a transport's TLS handlers come from: Netty's {@link SslHandler} over the JDK's {@code
 * SSLEngine} (the default) or over BoringSSL through netty-tcnative ({@value #PROPERTY}{@code
 * =openssl}). Either way the engine is configured from the {@link TlsConfig} alone. Thread-safe.
 */
interface TlsEngineFactory {

    /** The property that selects the engine. */
    String PROPERTY = "netty.tls";

    /** Makes the TLS handlers of one server's connections. */
    @FunctionalInterface
    interface ServerEngines {
        /**
         * Creates the handler of one accepted connection.
         *
         * @param alloc the channel's allocator
         * @return a handler with a configured server-mode engine
         */
        SslHandler newHandler(ByteBufAllocator alloc);
    }

    /**
     * Prepares the engines of a server (done once, so a bad configuration fails {@code serve}).
     *
     * @param config the server's TLS settings
     * @return the engine source
     * @throws TransportException if the configuration cannot be used
     */
    ServerEngines server(TlsConfig config) throws TransportException;

    /**
     * Creates the handler of a client connection.
     *
     * @param config the client's TLS settings
     * @param address the address as the caller gave it (its host string is the name verified)
     * @param alloc the channel's allocator
     * @return a handler with a configured client-mode engine
     * @throws TransportException if the configuration cannot be used
     */
    SslHandler client(TlsConfig config, InetSocketAddress address, ByteBufAllocator alloc) throws TransportException;

    /** Releases what the factory holds (native contexts); engines in use stay valid. */
    void close();

    /**
     * Returns the factory {@code config} asks for.
     *
     * @param config the transport's settings
     * @return the factory
     * @throws IllegalArgumentException if {@value #PROPERTY} names no engine
     * @throws TransportException if OpenSSL is asked for and cannot be used here
     */
    static TlsEngineFactory select(TransportConfig config) throws TransportException {
        String asked = config.property(PROPERTY).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("jdk");
        return switch (asked) {
            case "jdk", "" -> JDK;
            case "openssl" -> OpenSslEngines.create();
            default -> throw new IllegalArgumentException(PROPERTY + "=" + config.property(PROPERTY).orElseThrow()
                    + " is not a TLS engine; use jdk (the default) or openssl");
        };
    }

    /** The JDK's engines, configured by the SPI's {@link TlsEngines} like every other backend's. */
    TlsEngineFactory JDK = new TlsEngineFactory() {
        @Override
        public ServerEngines server(TlsConfig config) {
            return alloc -> new SslHandler(TlsEngines.server(config));
        }

        @Override
        public SslHandler client(TlsConfig config, InetSocketAddress address, ByteBufAllocator alloc) {
            return new SslHandler(TlsEngines.client(config, address));
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "jdk";
        }
    };
}
