package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** {@link ServerOptions}: defaults, checks and the builder. */
class ServerOptionsTest {

    @Test
    void defaultsArePlainTcpOnVirtualThreadsWithoutALimit() {
        ServerOptions d = ServerOptions.defaults();
        assertEquals(1024, d.backlog());
        assertEquals(0, d.maxConnections());
        assertSame(ConnectionOptions.defaults(), d.connection());
        assertNull(d.tls());
        assertSame(HandlerExecutors.virtualThreads(), d.handlerExecutor());
        assertEquals(d, ServerOptions.builder().build());
    }

    @Test
    void valuesOutOfRangeAreRejectedNamingTheParameterAndValue() {
        assertEquals("backlog <= 0: 0", assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().backlog(0).build()).getMessage());
        assertEquals("backlog <= 0: -1", assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().backlog(-1).build()).getMessage());
        assertEquals("maxConnections < 0: -1", assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().maxConnections(-1).build()).getMessage());
        assertEquals(0, ServerOptions.builder().maxConnections(0).build().maxConnections(), "0 means no limit");
    }

    @Test
    void nullComponentsAreRejectedByName() {
        assertEquals("connection", assertThrows(NullPointerException.class,
                () -> ServerOptions.builder().connection(null).build()).getMessage());
        assertEquals("handlerExecutor", assertThrows(NullPointerException.class,
                () -> ServerOptions.builder().handlerExecutor(null).build()).getMessage());
    }

    @Test
    void toBuilderRoundTripsEveryComponent() {
        Executor direct = Runnable::run;
        ServerOptions o = ServerOptions.builder()
                .backlog(7)
                .maxConnections(3)
                .connection(ConnectionOptions.builder().inboundLimit(1000).build())
                .handlerExecutor(direct)
                .build();
        assertEquals(o, o.toBuilder().build());
        assertSame(direct, o.toBuilder().build().handlerExecutor());
        assertEquals(4, o.toBuilder().maxConnections(4).build().maxConnections());
        assertEquals(3, o.maxConnections(), "the original is unchanged");
    }
}
