package net.corosio.netty;

import java.util.concurrent.Executor;
import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import org.junit.jupiter.api.BeforeAll;

/** Runs the compatibility kit on the netty backend with {@code netty.io=nio} and handlers carried by its event loops. */
class NettyLoopNioConformanceTest extends NettyKit {

    @BeforeAll
    static void available() {
        assumeAvailable(IoMode.NIO);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(IoMode.PROPERTY, "nio");
    }

    @Override
    protected Executor handlerExecutor() {
        return HandlerExecutors.eventLoop();
    }
}
