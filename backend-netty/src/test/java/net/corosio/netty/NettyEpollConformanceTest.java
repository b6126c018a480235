package net.corosio.netty;

import net.corosio.TransportConfig;
import org.junit.jupiter.api.BeforeAll;

/** Runs the compatibility kit on the netty backend with {@code netty.io=epoll}. */
class NettyEpollConformanceTest extends NettyKit {

    @BeforeAll
    static void epollAvailable() {
        assumeAvailable(IoMode.EPOLL);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(IoMode.PROPERTY, "epoll");
    }
}
