package net.corosio.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compatibility kit on the netty backend with one setting: each subclass runs the whole kit in
 * one I/O mode or with one TLS engine, under Netty's paranoid leak detector, and fails if Netty
 * reported a leak.
 */
abstract class NettyKit extends TransportKit {

    private static final Logger LOG = LoggerFactory.getLogger(NettyKit.class);

    static {
        LeakReports.install(); // normally done already, by LeakDetectionSession
    }

    @Override
    protected TransportProvider provider() {
        return new NettyTransportProvider();
    }

    @Override
    protected abstract TransportConfig config();

    @BeforeAll
    static void leakDetectionIsParanoidAndRecorded() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "the kit runs with -Dio.netty.leakDetection.level=paranoid (see this module's surefire configuration)");
        assertTrue(LeakReports.watchesBuffers(), "Netty created its buffer leak detector before LeakReports was installed");
    }

    @AfterAll
    static void nothingLeaked() throws InterruptedException {
        List<String> reports = LeakReports.collect();
        if (!reports.isEmpty()) {
            fail("Netty's leak detector made " + reports.size() + " reports (all are logged); the first: " + reports.getFirst());
        }
    }

    /**
     * Skips the calling class's tests, printing Netty's reason, if an I/O mode is unavailable here.
     *
     * @param mode the mode the class tests
     */
    static void assumeAvailable(IoMode mode) {
        Throwable cause = mode.unavailabilityCause();
        if (cause != null) {
            LOG.warn("netty {} is unavailable on this machine, so its kit is skipped: {}", mode.label(), cause.toString());
        }
        Assumptions.assumeTrue(cause == null, () -> "netty " + mode.label() + " is unavailable here: " + cause);
    }
}
