package net.corosio.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.corosio.Transport;
import net.corosio.lab.server.ServerMain;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario runs on every implementation for a moment and reports sane figures. No speed is
 * asserted: numbers belong to the lab's reports. To keep the build short the matrix runs the
 * server in the test's JVM; one scenario per implementation runs it forked, as real runs do.
 */
class ScenarioSmokeTest {

    private static final BenchOptions SHORT = new BenchOptions(Duration.ofMillis(200), Duration.ofMillis(400),
            0, 0, 0, 0, 0, 4, 50, false, "virtual", 0, 0, Map.of(), 0, List.of("-Xmx256m"), false, 1, false);

    private static final BenchOptions FORKED = new BenchOptions(SHORT.warmup(), SHORT.duration(), 0, 0, 0, 0, 0, 4,
            50, false, "virtual", 0, 128 * 1024, Map.of(), 0, List.of("-Xmx256m"), true, 1, false);

    private static final BenchOptions TLS = new BenchOptions(SHORT.warmup(), SHORT.duration(), 0, 0, 0, 0, 0, 4,
            50, true, "virtual", 0, 0, Map.of(), 0, List.of("-Xmx256m"), false, 1, false);

    @TempDir
    static Path workDir;

    static List<String> impls() {
        List<String> impls = new ArrayList<>(Transport.available().stream().map(TransportProvider::name).toList());
        impls.add(ServerMain.NETTY_NATIVE);
        impls.add(ServerMain.JETTY_NATIVE);
        return impls;
    }

    static Stream<Arguments> runs() {
        return Stream.of(Scenario.values()).flatMap(s -> impls().stream().map(i -> Arguments.of(s, i)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runs")
    @Timeout(60)
    void scenarioRunsAndReportsSaneFigures(Scenario scenario, String impl) {
        check(new BenchRunner(SHORT, workDir, line -> {}).run(scenario, impl), scenario, impl);
    }

    static Stream<Arguments> tlsRuns() {
        return Stream.of(Scenario.values())
                .flatMap(s -> Transport.available().stream().map(p -> Arguments.of(s, p.name())));
    }

    @ParameterizedTest(name = "{0} over TLS on {1}")
    @MethodSource("tlsRuns")
    @Timeout(60)
    void everyScenarioRunsOverTls(Scenario scenario, String impl) {
        check(new BenchRunner(TLS, workDir, line -> {}).run(scenario, impl), scenario, impl);
    }

    @Test
    void theNativeBaselinesSayTheyServePlainTcpOnly() {
        BenchResult result = new BenchRunner(TLS, workDir, line -> {}).run(Scenario.ECHO, ServerMain.NETTY_NATIVE);
        assertEquals("skipped", result.status(), result::toString);
        assertTrue(result.reason().contains("plain TCP only"), result::reason);
    }

    @ParameterizedTest(name = "echo on {0}, server forked")
    @MethodSource("impls")
    @Timeout(60)
    void aForkedServerReportsItsOwnFigures(String impl) {
        BenchResult result = new BenchRunner(FORKED, workDir, line -> {}).run(Scenario.ECHO, impl);
        check(result, Scenario.ECHO, impl);
        assertTrue(result.server().allocatedBytesPerOp() >= 0 && result.server().rssBytes() > 0, result::toString);
    }

    private static void check(BenchResult result, Scenario scenario, String impl) {
        assertEquals("ok", result.status(), () -> "the run failed: " + result.reason());
        assertTrue(result.throughput() > 0, () -> "no throughput: " + result);
        assertEquals(0, result.errors(), () -> "the load saw errors: " + result);
        assertNotNull(result.server(), "the server's resources must be reported");
        if (scenario == Scenario.IDLE) {
            assertEquals(50, (int) result.throughput(), "every idle connection must be open");
            assertTrue(result.server().heapBytesPerConnection() > 0, () -> "idle connections cost no heap? " + result);
            return;
        }
        assertTrue(result.server().cpuPercent() > 0, () -> "the server used no CPU? " + result);
        if (scenario != Scenario.BULK && scenario != Scenario.BULK_DUPLEX) {
            Latency l = result.latency();
            assertNotNull(l, "latency must be measured");
            assertTrue(l.p50() > 0 && l.p50() <= l.p90() && l.p90() <= l.p99() && l.p99() <= l.p999()
                    && l.p999() <= l.max(), () -> "percentiles out of order: " + l);
        }
    }
}
