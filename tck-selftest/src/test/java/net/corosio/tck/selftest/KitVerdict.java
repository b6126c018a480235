package net.corosio.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.corosio.Transport;
import net.corosio.tck.Spec;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the kit's tests of one rule on a broken backend and says whether the kit caught it.
 *
 * <p>With {@code -Dcorosio.selftest.expect=pass} every check is inverted: the tests of the rule
 * must all pass. That is how the self-test is run against an older kit, to show that the old
 * tests let the same broken backend through.
 */
final class KitVerdict {

    /** Set to {@code pass} to check that an (older) kit lets each broken backend through. */
    static final String EXPECT_PROPERTY = "corosio.selftest.expect";

    /** The kit's rule selection (see the kit's {@code RuleSelection}). */
    private static final String RULES_PROPERTY = "corosio.tck.rules";

    private KitVerdict() {}

    /**
     * Asserts that at least one kit test of {@code ruleId} fails on the broken backend, for the
     * reason {@code because} (a fragment of the failure's message, or of a cause's or a suppressed
     * failure's).
     *
     * @param ruleId the rule, {@code "9.3"}
     * @param name the broken backend's name, for messages
     * @param breakage wraps the reference backend's transport into the broken one
     * @param because what the failure must say
     */
    static void assertCaught(String ruleId, String name, UnaryOperator<Transport> breakage, String because) {
        assertCaught(ruleId, "", name, breakage, because);
    }

    /**
     * Like {@link #assertCaught(String, String, UnaryOperator, String)}, running only the tests of
     * the rule whose names contain {@code testNamePart} (to keep the self-test short).
     *
     * @param ruleId the rule, {@code "9.3"}
     * @param testNamePart a part of the test methods' names
     * @param name the broken backend's name, for messages
     * @param breakage wraps the reference backend's transport into the broken one
     * @param because what the failure must say
     */
    static void assertCaught(String ruleId, String testNamePart, String name, UnaryOperator<Transport> breakage,
            String because) {
        Map<String, TestExecutionResult> results = run(ruleId, testNamePart, name, breakage);
        if ("pass".equals(System.getProperty(EXPECT_PROPERTY))) {
            // An older kit may have no such test at all: then it certainly let the backend through.
            assertAllPassed(ruleId, name, results);
            return;
        }
        assertFalse(results.isEmpty(), "the kit has no test of rule " + ruleId + " named *" + testNamePart + "*");
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, TestExecutionResult> entry : results.entrySet()) {
            TestExecutionResult result = entry.getValue();
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                Throwable failure = result.getThrowable().orElseThrow();
                if (says(failure, because)) {
                    return;
                }
                seen.add(entry.getKey() + " failed otherwise: " + failure);
            } else {
                seen.add(entry.getKey() + " " + result.getStatus());
            }
        }
        fail("no test of rule " + ruleId + " caught '" + name + "' (a failure saying \"" + because + "\"): " + seen);
    }

    /**
     * Asserts that every kit test of {@code ruleId} passes on the broken backend: for a rule the
     * breakage is not about, or whose tests let it through before and are kept as they were.
     *
     * @param ruleId the rule
     * @param name the broken backend's name, for messages
     * @param breakage wraps the reference backend's transport into the broken one
     */
    static void assertLetThrough(String ruleId, String name, UnaryOperator<Transport> breakage) {
        Map<String, TestExecutionResult> results = run(ruleId, "", name, breakage);
        assertFalse(results.isEmpty(), "the kit has no test of rule " + ruleId);
        assertAllPassed(ruleId, name, results);
    }

    private static void assertAllPassed(String ruleId, String name, Map<String, TestExecutionResult> results) {
        List<String> failed = new ArrayList<>();
        results.forEach((test, result) -> {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failed.add(test + ": " + result);
            }
        });
        if (!failed.isEmpty()) {
            fail("expected every test of rule " + ruleId + " to let '" + name + "' through, but " + failed);
        }
    }

    /** Runs the kit tests citing {@code ruleId} (whose names contain a part) on the broken backend. */
    static Map<String, TestExecutionResult> run(String ruleId, String testNamePart, String name,
            UnaryOperator<Transport> breakage) {
        BrokenKit.bind(name, breakage);
        String infix = "_" + ruleId.replace('.', '_') + "_";
        PostDiscoveryFilter onlyTheRule = descriptor -> {
            if (descriptor.getSource().orElse(null) instanceof MethodSource method) {
                boolean cites = method.getMethodName().contains(testNamePart)
                        && Spec.citation(method.getMethodName()).map(c -> c.ruleId().equals(ruleId)).orElse(false);
                return FilterResult.includedIf(cites, () -> "cites " + ruleId, () -> "cites another rule");
            }
            return FilterResult.included("a container");
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(BrokenKit.class))
                .filters(onlyTheRule)
                .build();
        Map<String, TestExecutionResult> results = new LinkedHashMap<>();
        // A rule selection meant for the conformance runs (-Dcorosio.tck.rules) must not disable these.
        String selection = System.clearProperty(RULES_PROPERTY);
        try {
            LauncherFactory.create().execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource method
                            && method.getMethodName().contains(infix)) {
                        results.put(method.getMethodName(), result);
                    }
                }
            });
        } finally {
            if (selection != null) {
                System.setProperty(RULES_PROPERTY, selection);
            }
        }
        return results;
    }

    private static boolean says(Throwable failure, String fragment) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(fragment)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (says(suppressed, fragment)) {
                    return true;
                }
            }
        }
        return false;
    }
}
