package net.corosio.lab.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.corosio.Transport;
import net.corosio.tck.faults.FaultExpectation;
import net.corosio.tck.faults.FaultOutcome;
import net.corosio.tck.faults.FaultRun;
import net.corosio.tck.faults.FaultScenario;
import net.corosio.tck.faults.PathFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault scenarios through a real Toxiproxy (Testcontainers), on every backend: the built-in
 * proxy's answers must be Toxiproxy's. Skipped, with that reason, where no Docker engine answers.
 */
class ToxiproxyFaultsTest {

    private static ToxiproxyFaultInjector injector;

    @BeforeAll
    static void startToxiproxy() {
        Assumptions.assumeTrue(ToxiproxyFaultInjector.dockerAvailable(),
                "no Docker engine answers here: the Toxiproxy scenarios need one (the built-in proxy carries the suite)");
        injector = new ToxiproxyFaultInjector();
    }

    @AfterAll
    static void stopToxiproxy() {
        if (injector != null) {
            injector.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loom", "nio", "netty", "jetty"})
    void everyComparableScenarioMeetsTheSpecThroughToxiproxy(String backend) throws Exception {
        List<FaultScenario> scenarios = FaultMatrix.scenarios(
                List.of(PathFault.LATENCY, PathFault.BANDWIDTH, PathFault.SLICER, PathFault.LIMIT_DATA,
                        PathFault.TIMEOUT, PathFault.SLOW_CLOSE),
                List.of(net.corosio.tck.faults.Direction.values()), List.of(FaultScenario.Role.values()), List.of(false, true));
        List<String> departures = new ArrayList<>();
        try (Transport transport = Transport.open(backend)) {
            FaultRun run = new FaultRun(transport, injector, null, 1);
            for (FaultScenario scenario : scenarios) {
                FaultOutcome outcome = run.run(scenario);
                FaultExpectation.of(scenario).departures(scenario, outcome)
                        .forEach(d -> departures.add(scenario.label() + ": " + d));
            }
        }
        assertEquals(List.of(), departures, backend + " through Toxiproxy");
    }
}
