package net.corosio.netty;

import net.corosio.TransportConfig;

/**
 * Runs the compatibility kit on the netty backend with {@code netty.tls=openssl} (BoringSSL) in the
 * default I/O mode: every TLS rule on the native engine, and every other rule once more.
 */
class NettyOpenSslConformanceTest extends NettyKit {

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(TlsEngineFactory.PROPERTY, "openssl");
    }
}
