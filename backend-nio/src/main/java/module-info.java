/**
 * The nio backend: a hand-written {@code java.nio} selector loop (one acceptor selector and a few
 * I/O selectors on platform threads), bridged to suspending calls through the SPI's {@code
 * BridgedConnection}, with TLS driven directly on {@code SSLEngine} on the selector threads.
 */
module net.corosio.nio {
    requires net.corosio;
    requires org.slf4j;

    provides net.corosio.spi.TransportProvider with
            net.corosio.nio.NioTransportProvider;
}
