package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.corosio.Capability;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultExpectation;
import net.corosio.tck.faults.FaultOutcome;
import net.corosio.tck.faults.FaultRun;
import net.corosio.tck.faults.FaultScenario;
import net.corosio.tck.faults.FaultScenario.Role;
import net.corosio.tck.faults.LocalFaultInjector;
import net.corosio.tck.faults.PathFault;
import org.junit.jupiter.api.Tag;

/**
 * The rules of SPEC.md section 11: faults on the path, through the kit's own proxy. Each test runs
 * a few of the scenarios {@code corosio faults} runs in full — enough to cover its rule in both
 * roles and both directions — and fails with every departure of every scenario. Tagged {@code
 * faults}, so {@code -Dgroups=faults} runs this group alone.
 */
@Tag("faults")
public abstract class FaultRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected FaultRules(TransportKit owner) {
        super(owner);
    }

    /** Runs scenarios and asserts that none departs from SPEC.md. */
    private void expectSpec(FaultScenario... scenarios) throws Exception {
        LocalFaultInjector injector = kit.track(new LocalFaultInjector());
        FaultRun run = new FaultRun(kit.transport(), injector, null, Kit.seed());
        List<String> departures = new ArrayList<>();
        for (FaultScenario scenario : scenarios) {
            FaultOutcome outcome = run.run(scenario);
            FaultExpectation.of(scenario).departures(scenario, outcome)
                    .forEach(d -> departures.add(scenario.label() + ": " + d));
        }
        assertEquals(List.of(), departures, "departures from SPEC.md section 11 (seed " + Kit.seed() + ")");
    }

    private static FaultScenario plain(PathFault fault, Direction direction, Role role) {
        return new FaultScenario(fault, direction, role, false);
    }

    private static FaultScenario tls(PathFault fault, Direction direction, Role role) {
        return new FaultScenario(fault, direction, role, true);
    }

    // ------------------------------------------------------------------ 11.1

    @RequiredRule
    void required_11_1_latencyBandwidthAndSlicingChangeOnlyTheTiming() throws Exception {
        expectSpec(
                plain(PathFault.LATENCY, Direction.DOWNSTREAM, Role.CLIENT),
                plain(PathFault.BANDWIDTH, Direction.UPSTREAM, Role.CLIENT),
                plain(PathFault.SLICER, Direction.UPSTREAM, Role.SERVER),
                plain(PathFault.SLICER, Direction.DOWNSTREAM, Role.SERVER));
    }

    @RequiredRule
    void required_11_1_overTlsRecordsSlicedAcrossSegmentsArriveIntact() throws Exception {
        kit.assumeCapability(Capability.TLS);
        expectSpec(
                tls(PathFault.SLICER, Direction.DOWNSTREAM, Role.CLIENT),
                tls(PathFault.SLICER, Direction.UPSTREAM, Role.SERVER),
                tls(PathFault.LATENCY, Direction.UPSTREAM, Role.CLIENT));
    }

    // ------------------------------------------------------------------ 11.2

    @RequiredRule
    void required_11_2_aCutPathEndsTheReceiversStreamAfterEveryByteForwardedAndResetsTheSender() throws Exception {
        expectSpec(
                plain(PathFault.LIMIT_DATA, Direction.DOWNSTREAM, Role.CLIENT),
                plain(PathFault.LIMIT_DATA, Direction.UPSTREAM, Role.SERVER),
                plain(PathFault.LIMIT_DATA, Direction.UPSTREAM, Role.CLIENT),
                plain(PathFault.LIMIT_DATA, Direction.DOWNSTREAM, Role.SERVER));
    }

    @RequiredRule
    void required_11_2_aPathCutInTheMiddleOfATlsRecordIsReportedAsTruncated() throws Exception {
        kit.assumeCapability(Capability.TLS);
        expectSpec(
                tls(PathFault.LIMIT_DATA, Direction.DOWNSTREAM, Role.CLIENT),
                tls(PathFault.LIMIT_DATA, Direction.UPSTREAM, Role.SERVER),
                tls(PathFault.LIMIT_DATA, Direction.DOWNSTREAM, Role.SERVER));
    }

    // ------------------------------------------------------------------ 11.3

    @RequiredRule
    void required_11_3_aResetMidStreamIsReportedAsResetByAReaderAndAWriter() throws Exception {
        expectSpec(
                plain(PathFault.RESET_PEER, Direction.DOWNSTREAM, Role.CLIENT),
                plain(PathFault.RESET_PEER, Direction.DOWNSTREAM, Role.SERVER));
    }

    @RequiredRule
    void required_11_3_aResetInTheMiddleOfATlsRecordIsReportedAsReset() throws Exception {
        kit.assumeCapability(Capability.TLS);
        expectSpec(
                tls(PathFault.RESET_PEER, Direction.UPSTREAM, Role.SERVER),
                tls(PathFault.RESET_PEER, Direction.UPSTREAM, Role.CLIENT));
    }

    // ------------------------------------------------------------------ 11.4

    @RequiredRule
    void required_11_4_aBlackHoleFailsTheReadWithReadTimeoutAfterTheTimeout() throws Exception {
        expectSpec(
                plain(PathFault.TIMEOUT, Direction.DOWNSTREAM, Role.CLIENT),
                plain(PathFault.TIMEOUT, Direction.DOWNSTREAM, Role.SERVER));
    }

    // ------------------------------------------------------------------ 11.5

    @RequiredRule
    void required_11_5_aHeldBackEndOfStreamArrivesLateAfterTheWholeStream() throws Exception {
        expectSpec(
                plain(PathFault.SLOW_CLOSE, Direction.UPSTREAM, Role.SERVER),
                plain(PathFault.SLOW_CLOSE, Direction.DOWNSTREAM, Role.SERVER));
    }

    @RequiredRule
    void required_11_5_overTlsTheCloseNotifyEndsTheStreamWhateverTheFinDoes() throws Exception {
        kit.assumeCapability(Capability.TLS);
        expectSpec(tls(PathFault.SLOW_CLOSE, Direction.DOWNSTREAM, Role.CLIENT));
    }

    // ------------------------------------------------------------------ 11.6

    @RequiredRule
    void required_11_6_aConnectThroughAPathThatIsDownIsRefused() throws Exception {
        expectSpec(plain(PathFault.DOWN, Direction.UPSTREAM, Role.CLIENT));
    }
}
