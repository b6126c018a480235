package net.corosio.netty;

import net.corosio.TransportConfig;
import org.junit.jupiter.api.BeforeAll;

/** Runs the compatibility kit on the netty backend with {@code netty.io=nio}. */
class NettyNioConformanceTest extends NettyKit {

    @BeforeAll
    static void nioAvailable() {
        assumeAvailable(IoMode.NIO);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.defaults().withProperty(IoMode.PROPERTY, "nio");
    }
}
