package net.corosio.tck;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of each group of rules: it opens a fresh {@link Kit} before every test and closes it
 * (with the leak checks) after. Every test has a hard timeout, so a hanging backend fails instead
 * of stalling the build. How each test ended is recorded by {@link RuleRecorder}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith({RuleSelection.class, RuleRecorder.class})
public abstract class RuleGroup {

    private final TransportKit owner;

    /** The current test's kit. */
    protected Kit kit;

    /**
     * Binds the group to the kit it belongs to.
     *
     * @param owner the backend's kit
     */
    protected RuleGroup(TransportKit owner) {
        this.owner = owner;
    }

    /** The property that runs a backend's known departures instead of skipping them. */
    static final String RUN_KNOWN_DEPARTURES = "corosio.tck.runKnownDepartures";

    @BeforeEach
    final void openKit(TestInfo test) throws Exception {
        test.getTestMethod().flatMap(m -> Spec.citation(m.getName())).map(Spec.Citation::ruleId)
                .map(rule -> owner.knownDepartures().get(rule))
                .filter(reason -> !Boolean.getBoolean(RUN_KNOWN_DEPARTURES))
                .ifPresent(reason -> Assumptions.abort("known departure: " + reason));
        kit = Kit.open(owner.provider(), owner.config(), owner.handlerExecutor(),
                getClass().getSimpleName() + "." + test.getTestMethod().map(m -> m.getName()).orElse("?"));
    }

    @AfterEach
    final void closeKit() throws Exception {
        if (kit != null) {
            kit.close();
        }
    }
}
