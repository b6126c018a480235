package net.corosio.spi;

import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import net.corosio.TlsConfig;

/**
 * Turns a {@link TlsConfig} into a configured {@link SSLEngine}, the same way for every backend
 * that uses JDK engines: protocols, cipher suites, ALPN, client authentication, SNI and host name
 * verification; and every engine refuses TLS 1.2 renegotiation (see {@code
 * RenegotiationRefusingEngine}). Stateless and thread-safe.
 */
public final class TlsEngines {

    private TlsEngines() {}

    /**
     * Creates a client engine for a connection to {@code remote}.
     *
     * @param config the client's TLS settings
     * @param remote the address being connected to; its host string is the default SNI name and
     *     verification target
     * @return a configured client-mode engine
     */
    public static SSLEngine client(TlsConfig config, InetSocketAddress remote) {
        String peerHost = peerHost(config, remote);
        SSLEngine engine = config.context().createSSLEngine(peerHost, remote.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = common(config, engine);
        if (config.hostnameVerification()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (config.serverName() != null && !isIpLiteral(config.serverName())) {
            parameters.setServerNames(List.of(new SNIHostName(config.serverName())));
        }
        engine.setSSLParameters(parameters);
        return new RenegotiationRefusingEngine(engine);
    }

    /**
     * Creates a server engine.
     *
     * @param config the server's TLS settings
     * @return a configured server-mode engine
     */
    public static SSLEngine server(TlsConfig config) {
        SSLEngine engine = config.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = common(config, engine);
        switch (config.clientAuth()) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        return new RenegotiationRefusingEngine(engine);
    }

    /**
     * Returns the host a client verifies the certificate against: the configured server name, or
     * the host the caller used for {@code remote} (never a reverse lookup).
     *
     * @param config the client's TLS settings
     * @param remote the address being connected to
     * @return the peer host
     */
    public static String peerHost(TlsConfig config, InetSocketAddress remote) {
        return config.serverName() != null ? config.serverName() : remote.getHostString();
    }

    private static SSLParameters common(TlsConfig config, SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(config.protocols().toArray(String[]::new));
        if (!config.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(config.cipherSuites().toArray(String[]::new));
        }
        if (!config.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(String[]::new));
        }
        return parameters;
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        // A DNS name always has a letter in its last label, so digits and dots mean an IPv4 literal.
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
