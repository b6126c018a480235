package net.corosio.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepTest {

    @Test
    void aSweepIsEveryCombinationWithTheFirstKnobVaryingSlowest() {
        Map<String, List<?>> axes = new LinkedHashMap<>();
        axes.put("executor", List.of("virtual", "loop"));
        axes.put("carriers", List.of(0, 1));
        Sweep sweep = Sweep.of(Scenario.ECHO, axes, false);
        assertEquals(List.of(Map.of("executor", "virtual", "carriers", 0), Map.of("executor", "virtual", "carriers", 1),
                Map.of("executor", "loop", "carriers", 0), Map.of("executor", "loop", "carriers", 1)), sweep.points());
    }

    @Test
    void aPointSetsItsKnobsOnTheCampaignsOptions() {
        BenchOptions options = Sweep.apply(BenchOptions.defaults(),
                Map.of("connections", 256, "rate", 5000L, "carriers", 1, "ioThreads", 2, "tls", true));
        assertEquals(256, options.connections());
        assertEquals(5000, options.rate());
        assertEquals(1, options.carrierParallelism());
        assertEquals(2, options.ioThreads());
        assertTrue(options.tls());
        assertEquals(BenchOptions.defaults().duration(), options.duration());
    }

    @Test
    void anUnknownKnobIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sweep(Scenario.ECHO, List.of(Map.of("colour", "blue")), true));
        assertTrue(e.getMessage().contains("colour"), e::getMessage);
    }
}
