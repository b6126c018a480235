package net.corosio.lab.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import net.corosio.lab.bench.BenchResult;
import org.junit.jupiter.api.Test;

class BenchRunsTest {

    private static final Map<String, Object> CORE = Map.of("connections", 0, "rate", 0, "executor", "virtual",
            "carrierParallelism", 0, "ioThreads", 0, "tls", false, "duration", "PT3S");

    private static BenchResult echo(String impl, double throughput, Map<String, Object> point) {
        return new BenchResult("echo", impl, "ok", null, throughput, "msg/s", 1, 0, 1, null, null, 1, point, "virtual");
    }

    @Test
    void aRunMadeAtTheSameKnobsWithALongerWindowWins() {
        BenchResult core = BenchRuns.normalize(echo("loom", 100, Map.of()), CORE);
        BenchResult swept = BenchRuns.normalize(echo("loom", 50, Map.of("connections", 64, "duration", "PT1.5S")), CORE);
        BenchResult other = BenchRuns.normalize(echo("loom", 70, Map.of("connections", 16, "duration", "PT1.5S")), CORE);
        BenchRuns runs = new BenchRuns(List.of(core, swept, other));
        assertEquals(List.of(100.0), runs.plain("echo").stream().map(BenchResult::throughput).toList(),
                "the 3 s core run at 64 connections, not the 1.5 s sweep point");
        assertEquals(2, runs.where("echo", BenchRuns::isPlain).size(), "the sweep's other point stays");
    }

    @Test
    void defaultConnectionsAreResolvedPerScenario() {
        assertEquals(64, BenchRuns.normalize(echo("nio", 1, Map.of()), CORE).point().get("connections"));
    }
}
