package net.corosio.jetty;

import java.util.concurrent.Executor;
import net.corosio.HandlerExecutors;

/**
 * Runs the compatibility kit against the jetty backend with handlers carried by its selector
 * loops, checking pooled buffers as {@link JettyConformanceTest} does.
 */
class JettyLoopConformanceTest extends JettyConformanceTest {

    @Override
    protected Executor handlerExecutor() {
        return HandlerExecutors.eventLoop();
    }
}
