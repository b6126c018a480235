package net.corosio.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediansTest {

    private static BenchResult echo(String impl, double throughput, int round) {
        return new BenchResult("echo", impl, "ok", null, throughput, "msg/s", 1, 0, 1, null, null, round, Map.of(), "virtual");
    }

    private static BenchResult pingpong(double p50, int round) {
        Latency latency = new Latency(10, p50, p50, p50, p50, p50, p50);
        return new BenchResult("pingpong", "loom", "ok", null, 1e6 / p50, "msg/s", 1, 0, 1, latency, null, round, Map.of(), "virtual");
    }

    @Test
    void runsAtDifferentSweepPointsAreKeptApart() {
        List<BenchResult> runs = List.of(echo("nio", 300, 1).at(Map.of("connections", 1)),
                echo("nio", 100, 1).at(Map.of("connections", 64)), echo("nio", 200, 2).at(Map.of("connections", 64)));
        List<BenchResult> medians = Medians.of(runs);
        assertEquals(2, medians.size(), medians::toString);
        assertEquals(300, medians.get(0).throughput());
        assertEquals(100, medians.get(1).throughput());
        assertEquals("nio connections=64", medians.get(1).label());
    }

    @Test
    void picksTheRunWithTheMedianHeadlineFigurePerScenarioAndImplementation() {
        List<BenchResult> runs = List.of(echo("nio", 300, 1), echo("loom", 10, 1), echo("nio", 100, 2),
                echo("loom", 30, 2), echo("nio", 200, 3), echo("loom", 20, 3));
        List<BenchResult> medians = Medians.of(runs);
        assertEquals(2, medians.size());
        assertEquals("nio", medians.get(0).impl(), "in the order they first ran");
        assertEquals(3, medians.get(0).round());
        assertEquals(20, medians.get(1).throughput());
    }

    @Test
    void anEvenCountTakesTheLowerMiddleRunSoEveryFigureComesFromOneRun() {
        assertEquals(4, Medians.of(List.of(pingpong(50, 1), pingpong(90, 2), pingpong(70, 3), pingpong(60, 4)))
                .getFirst().round(), "p50 60 µs: the lower middle of 50, 60, 70, 90");
    }

    @Test
    void aFailedRoundIsShownInsteadOfAMedian() {
        BenchResult failed = BenchResult.failed(Scenario.ECHO, new Subject("nio", "virtual"), "refused").inRound(2);
        List<BenchResult> medians = Medians.of(List.of(echo("nio", 100, 1), failed, echo("nio", 120, 3)));
        assertEquals(List.of(failed), medians);
    }

    @Test
    void spreadIsTheRangeOverTheMedianOfTheSuccessfulRounds() {
        List<BenchResult> runs = List.of(echo("nio", 150, 1), echo("nio", 100, 2), echo("nio", 200, 3),
                BenchResult.failed(Scenario.ECHO, new Subject("nio", "virtual"), "x"));
        assertEquals((200 - 100) / 150.0, Medians.spread(runs, "echo", "nio").orElseThrow(), 1e-9);
        assertTrue(Medians.spread(runs.subList(0, 1), "echo", "nio").isEmpty(), "one round has no spread");
        assertTrue(Medians.spread(runs, "echo", "loom").isEmpty());
    }
}
