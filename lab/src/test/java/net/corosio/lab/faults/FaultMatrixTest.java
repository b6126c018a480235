package net.corosio.lab.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultOutcome;
import net.corosio.tck.faults.FaultScenario;
import net.corosio.tck.faults.PathFault;
import org.junit.jupiter.api.Test;

/** The matrix's own logic: its plan, its variants, and the check across variants. */
class FaultMatrixTest {

    private static final FaultScenario RESET = new FaultScenario(PathFault.RESET_PEER, Direction.UPSTREAM,
            FaultScenario.Role.CLIENT, false);

    private static FaultCell cell(String backend, String outcome) {
        return FaultCell.of(new Variant(backend, Map.of(), "virtual"), RESET,
                new FaultOutcome(outcome, "RESET", 5, 5, 100, 50, 40, 40, 0, 0, 0, 0, null));
    }

    @Test
    void aVariantThatDiffersFromTheOthersDepartsEvenWhereTheOthersAreWrongToo() {
        List<FaultCell> checked = FaultMatrix.crossCheck(List.of(
                cell("loom", "RESET"), cell("nio", "RESET"), cell("jetty", "end-of-stream")));
        assertEquals("ok", checked.get(0).status());
        assertEquals("departs", checked.get(2).status());
        assertTrue(checked.get(2).departures().stream().anyMatch(d -> d.contains("differs from the other variants, which saw RESET")),
                checked.get(2)::toString);
    }

    @Test
    void whenNoOutcomeHasAMajorityEveryVariantIsMarked() {
        List<FaultCell> checked = FaultMatrix.crossCheck(List.of(cell("loom", "RESET"), cell("nio", "hung")));
        assertTrue(checked.stream().allMatch(c -> c.departures().stream().anyMatch(d -> d.contains("disagree"))), checked::toString);
    }

    @Test
    void thePlanLeavesOutWhatCannotHappen() {
        List<FaultScenario> plan = FaultMatrix.scenarios(List.of(PathFault.DOWN, PathFault.LATENCY),
                List.of(Direction.values()), List.of(FaultScenario.Role.values()), List.of(false, true));
        assertEquals(2 + 8, plan.size(), "down: once per TLS choice, as a client; latency: 2 x 2 x 2");
    }

    @Test
    void nettyExpandsIntoOneVariantPerIoModeAndEveryBackendIntoOnePerExecutor() {
        List<Variant> variants = Variant.expand(List.of("loom", "netty"), List.of("nio", "epoll"),
                List.of("virtual", "platform:2"), Map.of());
        assertEquals(List.of("loom", "loom@platform:2", "netty/nio", "netty/nio@platform:2", "netty/epoll",
                "netty/epoll@platform:2"), variants.stream().map(Variant::label).toList());
    }
}
