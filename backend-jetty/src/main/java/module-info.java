/**
 * The jetty backend: Jetty 12's {@code jetty-io} event loop (selectors, end points, {@code
 * SslConnection}) bridged to the API's suspending calls through the SPI's {@code
 * BridgedConnection}. No {@code jetty-server}: only the I/O layer.
 */
module net.corosio.jetty {
    requires net.corosio;
    requires org.slf4j;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;

    provides net.corosio.spi.TransportProvider with
            net.corosio.jetty.JettyTransportProvider;
}
