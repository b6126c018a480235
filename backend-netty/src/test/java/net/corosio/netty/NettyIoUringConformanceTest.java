package net.corosio.netty;

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
}
