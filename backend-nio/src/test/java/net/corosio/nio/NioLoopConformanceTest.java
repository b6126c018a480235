package net.corosio.nio;

import java.util.concurrent.Executor;
import net.corosio.HandlerExecutors;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;

/** Runs the compatibility kit against the nio backend with handlers carried by its selector loops. */
class NioLoopConformanceTest extends TransportKit {

    @Override
    protected TransportProvider provider() {
        return new NioTransportProvider();
    }

    @Override
    protected Executor handlerExecutor() {
        return HandlerExecutors.eventLoop();
    }
}
