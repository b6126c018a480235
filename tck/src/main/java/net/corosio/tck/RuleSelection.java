package net.corosio.tck;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs only some rules when {@value #PROPERTY} names them: a comma-separated list of rule numbers
 * or groups ({@code -Dcorosio.tck.rules=9.3,8}), for working on a few rules without running the
 * whole kit on every backend. The others are reported as disabled, with that reason.
 */
public final class RuleSelection implements ExecutionCondition {

    /** Created by JUnit, for {@link RuleGroup}. */
    public RuleSelection() {}

    /** The property that selects rules; unset, every rule runs. */
    static final String PROPERTY = "corosio.tck.rules";

    /**
     * Returns the selected rules and groups, or empty if every rule runs.
     *
     * @return the selection
     */
    static Optional<List<String>> selected() {
        String value = System.getProperty(PROPERTY, "").strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * Returns whether a rule is selected.
     *
     * @param ruleId the rule's number
     * @return true if every rule runs, or the rule or its group is named
     */
    static boolean isSelected(String ruleId) {
        return selected().map(names -> names.stream()
                        .anyMatch(n -> ruleId.equals(n) || ruleId.startsWith(n.endsWith(".") ? n : n + ".")))
                .orElse(true);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> rule = context.getTestMethod()
                .flatMap(m -> Spec.citation(m.getName()))
                .map(Spec.Citation::ruleId);
        if (rule.isEmpty() || isSelected(rule.get())) {
            return ConditionEvaluationResult.enabled("selected");
        }
        return ConditionEvaluationResult.disabled("rule " + rule.get() + " is not among " + PROPERTY + "="
                + System.getProperty(PROPERTY));
    }
}
