package net.corosio;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * TLS settings for one side of a connection. Immutable and thread-safe; build one with {@link
 * #builder(SSLContext)}.
 *
 * <p>Secure by default: only TLS 1.3 and 1.2 are enabled and older protocols are rejected, and a
 * client verifies that the server's certificate names the host it meant to reach. Turning
 * verification off is possible for tests and is logged by nothing here: the caller owns that
 * decision.
 *
 * @param context the keys and trust: a server's context holds its certificate chain, a client's
 *     its trust anchors (and its own certificate when the server requires one)
 * @param protocols the enabled protocols, most preferred first; a subset of {@code TLSv1.3} and
 *     {@code TLSv1.2}
 * @param cipherSuites the enabled cipher suites, or empty for the context's defaults
 * @param applicationProtocols the ALPN protocols offered (client) or accepted (server), most
 *     preferred first, or empty for no ALPN
 * @param clientAuth whether a server asks for client certificates; ignored by clients
 * @param serverName the host name a client sends as SNI and verifies the certificate against, or
 *     {@code null} to use the host of the address it connects to; ignored by servers
 * @param hostnameVerification whether a client checks that the server's certificate names {@code
 *     serverName} (or the connected host); on by default; ignored by servers
 */
public record TlsConfig(
        SSLContext context,
        List<String> protocols,
        List<String> cipherSuites,
        List<String> applicationProtocols,
        ClientAuth clientAuth,
        String serverName,
        boolean hostnameVerification) {

    /** The protocols this API allows; anything older is refused. */
    public static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    /**
     * Checks and copies the values.
     *
     * @throws IllegalArgumentException if no protocol is given or one is not TLS 1.2 or 1.3, or a
     *     list holds a blank entry
     * @throws NullPointerException if {@code context}, a list or {@code clientAuth} is null
     */
    public TlsConfig {
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        applicationProtocols = List.copyOf(applicationProtocols);
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols is empty: enable TLSv1.3 and/or TLSv1.2");
        }
        for (String protocol : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                        "protocol not allowed: " + protocol + " (only TLSv1.3 and TLSv1.2 are)");
            }
        }
        requireNoBlank("cipherSuites", cipherSuites);
        requireNoBlank("applicationProtocols", applicationProtocols);
        if (serverName != null && serverName.isBlank()) {
            throw new IllegalArgumentException("serverName is blank: '" + serverName + "'");
        }
    }

    private static void requireNoBlank(String name, List<String> values) {
        for (String value : values) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " holds a blank entry: " + values);
            }
        }
    }

    /**
     * Starts a builder for the given context with the secure defaults: TLS 1.3 and 1.2, the
     * context's cipher suites, no ALPN, no client authentication, hostname verification on.
     *
     * @param context the keys and trust to use
     * @return a new builder
     */
    public static Builder builder(SSLContext context) {
        return new Builder(context);
    }

    /**
     * Returns a client configuration that trusts the JDK's default trust store, with the secure
     * defaults.
     *
     * @return a client configuration
     * @throws IllegalStateException if the JDK has no default {@link SSLContext}
     */
    public static TlsConfig client() {
        try {
            return builder(SSLContext.getDefault()).build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /**
     * Starts a builder holding these values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(context)
                .protocols(protocols)
                .cipherSuites(cipherSuites)
                .applicationProtocols(applicationProtocols)
                .clientAuth(clientAuth)
                .serverName(serverName)
                .hostnameVerification(hostnameVerification);
    }

    /** Builds {@link TlsConfig}; not thread-safe. Values are checked by {@link #build()}. */
    public static final class Builder {
        private final SSLContext context;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        private List<String> cipherSuites = List.of();
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private String serverName;
        private boolean hostnameVerification = true;

        private Builder(SSLContext context) {
            this.context = context;
        }

        /**
         * Sets the enabled protocols.
         *
         * @param protocols a subset of {@code TLSv1.3} and {@code TLSv1.2}
         * @return this builder
         */
        public Builder protocols(String... protocols) {
            return protocols(List.of(protocols));
        }

        /**
         * Sets the enabled protocols.
         *
         * @param protocols a subset of {@code TLSv1.3} and {@code TLSv1.2}
         * @return this builder
         */
        public Builder protocols(List<String> protocols) {
            this.protocols = protocols;
            return this;
        }

        /**
         * Sets the enabled cipher suites.
         *
         * @param suites the suites, or empty for the context's defaults
         * @return this builder
         */
        public Builder cipherSuites(List<String> suites) {
            this.cipherSuites = suites;
            return this;
        }

        /**
         * Sets the ALPN protocols.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            return applicationProtocols(List.of(protocols));
        }

        /**
         * Sets the ALPN protocols.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = protocols;
            return this;
        }

        /**
         * Sets whether a server asks for client certificates.
         *
         * @param clientAuth none, want or need
         * @return this builder
         */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        /**
         * Sets the name a client sends as SNI and verifies the certificate against.
         *
         * @param serverName a host name, or {@code null} for the connected host
         * @return this builder
         */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /**
         * Sets whether a client verifies the server's host name. Leave it on outside tests.
         *
         * @param on whether to verify
         * @return this builder
         */
        public Builder hostnameVerification(boolean on) {
            this.hostnameVerification = on;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a value is not allowed, naming it
         */
        public TlsConfig build() {
            return new TlsConfig(
                    context, protocols, cipherSuites, applicationProtocols, clientAuth, serverName, hostnameVerification);
        }
    }
}
