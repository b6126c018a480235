/**
 * The loom backend: blocking JDK socket channels on virtual threads. The JDK's poller does the
 * scheduling; this module adds the API's semantics (timeouts, sticky errors, TLS over SSLEngine).
 */
module net.corosio.loom {
    requires net.corosio;
    requires org.slf4j;

    provides net.corosio.spi.TransportProvider with
            net.corosio.loom.LoomTransportProvider;
}
