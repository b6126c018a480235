package net.corosio.lab.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.Spec;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs the compatibility kit on one backend through the JUnit Platform launcher. */
public final class KitRunner {

    private KitRunner() {}

    /**
     * Runs the whole kit on a backend.
     *
     * @param provider the backend
     * @param config its settings
     * @param progress receives a line per finished test
     * @return each rule's outcome, by rule number
     */
    public static Map<String, RuleOutcome> run(TransportProvider provider, TransportConfig config,
            Consumer<String> progress) {
        LabKit.bind(provider, config);
        Map<String, RuleOutcome> outcomes = new ConcurrentHashMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LabKit.class))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                record(test, new RuleOutcome("skip", reason));
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                RuleOutcome outcome = switch (result.getStatus()) {
                    case SUCCESSFUL -> new RuleOutcome("pass", "");
                    case ABORTED -> new RuleOutcome("skip", result.getThrowable().map(Throwable::getMessage).orElse(""));
                    case FAILED -> new RuleOutcome("FAIL", result.getThrowable().map(Throwable::toString).orElse(""));
                };
                if (record(test, outcome) && outcome.status().equals("FAIL")) {
                    progress.accept("  FAIL " + test.getDisplayName() + ": " + outcome.detail());
                }
            }

            private boolean record(TestIdentifier test, RuleOutcome outcome) {
                if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return false;
                }
                return Spec.citation(method.getMethodName())
                        .map(c -> {
                            outcomes.merge(c.ruleId(), outcome, RuleOutcome::merge);
                            return true;
                        })
                        .orElse(false);
            }
        });
        return new TreeMap<>(outcomes);
    }
}
