/**
 * The netty backend: Netty 4.2 event loops (nio, epoll or io_uring) bridged to suspending calls
 * through the SPI's {@code BridgedConnection}; TLS through Netty's {@code SslHandler} with the JDK
 * engine or, with {@code netty.tls=openssl}, BoringSSL.
 */
module net.corosio.netty {
    requires net.corosio;
    requires org.slf4j;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.resolver;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;

    provides net.corosio.spi.TransportProvider with
            net.corosio.netty.NettyTransportProvider;
}
