package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TransportKit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the compatibility kit against the jetty backend, with Jetty's tracking buffer pool: a test
 * after which a pooled buffer has not come back fails, showing where the first ones were taken.
 */
class JettyConformanceTest extends TransportKit {

    /** How long buffers may take to come back after the test closed its transport. */
    private static final long RETURN_WAIT_MILLIS = 5_000;

    /** How many unreleased buffers a failure shows in full. */
    private static final int SHOWN = 3;

    private final List<ArrayByteBufferPool.Tracking> pools = new CopyOnWriteArrayList<>();

    @Override
    protected TransportProvider provider() {
        return new JettyTransportProvider(() -> {
            ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
            pools.add(pool);
            return pool;
        });
    }

    /** Runs after the kit's own checks, which have closed the test's transport. */
    @AfterEach
    void everyBufferCameBack() throws InterruptedException {
        long deadline = System.currentTimeMillis() + RETURN_WAIT_MILLIS;
        for (ArrayByteBufferPool.Tracking pool : pools) {
            while (!pool.getLeaks().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            List<ArrayByteBufferPool.Tracking.TrackedBuffer> leaks = List.copyOf(pool.getLeaks());
            if (!leaks.isEmpty()) {
                fail(leaks.size() + " pooled buffers were not released; the first were taken here:\n"
                        + leaks.stream().limit(SHOWN).map(ArrayByteBufferPool.Tracking.TrackedBuffer::dump)
                                .collect(Collectors.joining("\n")));
            }
        }
    }
}
