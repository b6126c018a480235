package net.corosio;

/** Whether a TLS server asks its clients for a certificate. */
public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A certificate is requested; a client without one is still accepted. */
    WANT,
    /** A certificate is required; a client without a trusted one fails the handshake. */
    NEED
}
