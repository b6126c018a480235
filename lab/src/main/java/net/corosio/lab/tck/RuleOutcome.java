package net.corosio.lab.tck;

/**
 * What one backend did with one rule: every test of the rule passed, one failed (with the first
 * failure's message), or every test was skipped (with the reason).
 *
 * @param status {@code pass}, {@code FAIL} or {@code skip}
 * @param detail the failure's message or the skip's reason, or empty
 */
public record RuleOutcome(String status, String detail) {

    static RuleOutcome merge(RuleOutcome a, RuleOutcome b) {
        if (a == null) {
            return b;
        }
        if (a.status().equals("FAIL")) {
            return a;
        }
        if (b.status().equals("FAIL")) {
            return b;
        }
        if (a.status().equals("pass") || b.status().equals("pass")) {
            return new RuleOutcome("pass", "");
        }
        return a;
    }
}
