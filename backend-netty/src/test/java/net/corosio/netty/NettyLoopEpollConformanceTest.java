package net.corosio.netty;

import java.util.concurrent.Executor;
import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import org.junit.jupiter.api.BeforeAll;

/** Runs the compatibility kit on the netty backend with {@code netty.io=epoll} and handlers carried by its event loops. */
class NettyLoopEpollConformanceTest extends NettyKit {

    @BeforeAll
    static void available() {
        assumeAvailable(IoMode.EPOLL);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(IoMode.PROPERTY, "epoll");
    }

    @Override
    protected Executor handlerExecutor() {
        return HandlerExecutors.eventLoop();
    }
}
