package net.corosio.netty;

import java.util.Map;
import net.corosio.TransportConfig;
import org.junit.jupiter.api.BeforeAll;

/** Runs the compatibility kit on the netty backend with {@code netty.io=io_uring}. */
class NettyIoUringConformanceTest extends NettyKit {

    @BeforeAll
    static void ioUringAvailable() {
        assumeAvailable(IoMode.IO_URING);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(IoMode.PROPERTY, "io_uring");
    }

    /**
     * Netty 4.2's io_uring transport loses an event either way on this machine's kernel (6.18):
     * with multishot {@code POLL_ADD} (Netty's default) a reset right behind data (11.3); without
     * it (what the backend sets, see {@link IoUringPollWorkaround}) the close that follows a refused
     * TLS renegotiation, so the peer waits (8.22). The backend takes the lesser: a lost reset leaves
     * a reader waiting on every kind of peer crash, a refused renegotiation only a peer that asked
     * for one. {@code -Dcorosio.tck.runKnownDepartures=true} runs it anyway.
     */
    @Override
    protected Map<String, String> knownDepartures() {
        return Map.of("8.22", "Netty io_uring with single-shot POLL_ADD does not close the connection after a "
                + "refused TLS 1.2 renegotiation: the peer waits (epoll and nio refuse it at once)");
    }
}
