package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The JDK internals, on the JDK the build runs on: the build opens java.lang to the tests (the
 * parent POM's argLine), and one test starts a JVM without it.
 */
class VirtualThreadInternalsTest {

    @Test
    void theBuildsJvmAllowsThem() {
        assertTrue(VirtualThreadInternals.isAvailable(), "surefire runs with " + VirtualThreadInternals.ADD_OPENS);
        VirtualThreadInternals.require();
    }

    @Test
    void aCustomSchedulerRunsTheThreadsContinuations() throws Exception {
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService carrier = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("test-carrier").unstarted(r));
        try {
            Thread thread = VirtualThreadInternals.builder(task -> {
                submitted.incrementAndGet();
                carrier.execute(task);
            }).name("custom").unstarted(() -> {
                Thread.yield(); // a second continuation
            });
            CompletableFuture<String> carrierName = new CompletableFuture<>();
            Thread probe = VirtualThreadInternals.builder(carrier)
                    .unstarted(() -> carrierName.complete(VirtualThreadInternals.currentCarrier().getName()));
            thread.start();
            probe.start();
            assertTrue(thread.join(java.time.Duration.ofSeconds(10)));
            assertTrue(submitted.get() >= 2, "start and the yield each went through the scheduler: " + submitted);
            assertEquals("test-carrier", carrierName.get(10, TimeUnit.SECONDS));
        } finally {
            carrier.shutdown();
            assertTrue(carrier.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPlatformThreadIsItsOwnCarrier() {
        assertSame(Thread.currentThread(), VirtualThreadInternals.currentCarrier());
    }

    @Test
    void aThreadStartedUnboundFromACarriedThreadRunsOnTheDefaultScheduler() throws Exception {
        ExecutorService carrier = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("test-carrier-2").unstarted(r));
        try {
            CompletableFuture<String> childCarrier = new CompletableFuture<>();
            VirtualThreadInternals.builder(carrier).start(() -> VirtualThreadInternals.startUnbound("unbound",
                    () -> childCarrier.complete(VirtualThreadInternals.currentCarrier().getName())));
            assertNotEquals("test-carrier-2", childCarrier.get(10, TimeUnit.SECONDS));
        } finally {
            carrier.shutdown();
        }
    }

    @Test
    void withoutTheOptionTheyAreRefusedByName() throws Exception {
        Process probe = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertTrue(output.contains("IllegalStateException") && output.contains(VirtualThreadInternals.ADD_OPENS),
                "a JVM without the option is told which one it needs: " + output);
    }

    /** Run in a JVM without --add-opens: prints what require() says. */
    static final class Probe {
        public static void main(String[] args) throws IOException {
            try {
                VirtualThreadInternals.require();
                System.out.println("available");
            } catch (IllegalStateException e) {
                System.out.println("IllegalStateException: " + e.getMessage());
            }
        }
    }
}
