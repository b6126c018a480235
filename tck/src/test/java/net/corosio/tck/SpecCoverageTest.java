package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.corosio.Capability;
import org.junit.jupiter.api.Test;

/**
 * The kit and SPEC.md agree: every line that starts a rule parses, every rule has a test, and every
 * test cites a rule that exists. That a test exists does not mean it ran: which rules the
 * conformance runs passed is checked after them, by tck-selftest's {@code RulesRanTest}.
 */
class SpecCoverageTest {

    private final Map<String, Spec.Rule> rules = Spec.rules();
    private final List<Method> tests = Spec.kitTests();

    @Test
    void specHasAtLeastFortyFiveRules() {
        assertTrue(rules.size() >= 45, "SPEC.md has only " + rules.size() + " rules");
    }

    @Test
    void everyRuleHasATest() {
        Set<String> cited = new TreeSet<>();
        for (Method test : tests) {
            Spec.citation(test.getName()).ifPresent(c -> cited.add(c.ruleId()));
        }
        List<String> untested = rules.values().stream()
                .filter(r -> !r.withdrawn() && !cited.contains(r.id()))
                .map(Spec.Rule::id)
                .toList();
        assertEquals(List.of(), untested, "rules of SPEC.md without a test in the kit");
    }

    @Test
    void everyTestCitesAnExistingRuleAtItsLevel() {
        List<String> problems = new ArrayList<>();
        for (Method test : tests) {
            String name = test.getDeclaringClass().getSimpleName() + "." + test.getName();
            Optional<Spec.Citation> citation = Spec.citation(test.getName());
            if (citation.isEmpty()) {
                problems.add(name + ": name is not (required|optional)_<group>_<rule>_<sentence>");
                continue;
            }
            Spec.Rule rule = rules.get(citation.get().ruleId());
            if (rule == null) {
                problems.add(name + ": cites rule " + citation.get().ruleId() + ", which SPEC.md does not have");
                continue;
            }
            if (rule.level().isRequired() != citation.get().required()) {
                problems.add(name + ": rule " + rule.id() + " is " + rule.level() + " but the test is named "
                        + (citation.get().required() ? "required" : "optional"));
            }
            boolean annotatedRequired = test.isAnnotationPresent(RequiredRule.class);
            if (annotatedRequired != citation.get().required()) {
                problems.add(name + ": the annotation does not match the name's level");
            }
            String group = rule.id().substring(0, rule.id().indexOf('.'));
            if (!groupOf(test.getDeclaringClass()).equals(group)) {
                problems.add(name + ": rule " + rule.id() + " belongs to group " + group + ", not to "
                        + test.getDeclaringClass().getSimpleName());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void parsesLevelsNegationsAndCapabilities() {
        Map<String, Spec.Rule> parsed = Spec.parse("""
                - **1.1 MUST** One.
                - **8.14 MUST [TLS_ALPN]** Two.
                - **10.4 SHOULD** Three.
                - **2.5 MUST NOT [TLS, IPV6]** Four.
                - **2.6 SHOULD NOT [TLS] [IPV6]** Five.
                - **2.7 MAY** *withdrawn* Six.
                not a rule
                - a list item, not a rule
                """);
        assertEquals(List.of("1.1", "8.14", "10.4", "2.5", "2.6", "2.7"), List.copyOf(parsed.keySet()));
        assertEquals(List.of("TLS_ALPN"), parsed.get("8.14").capabilities());
        assertEquals(Spec.Level.SHOULD, parsed.get("10.4").level());
        Spec.Rule mustNot = parsed.get("2.5");
        assertEquals(Spec.Level.MUST, mustNot.level());
        assertTrue(mustNot.negated() && mustNot.level().isRequired());
        assertEquals("MUST NOT", mustNot.keyword());
        assertEquals(List.of("TLS", "IPV6"), mustNot.capabilities());
        assertEquals("SHOULD NOT", parsed.get("2.6").keyword());
        assertEquals(List.of("TLS", "IPV6"), parsed.get("2.6").capabilities());
        assertEquals("Four.", mustNot.text());
        assertTrue(parsed.get("2.7").withdrawn());
    }

    @Test
    void aLineThatStartsARuleButDoesNotParseFailsNamingIt() {
        for (String bad : List.of("- **3.4 MUTS** Misspelt.", "- **3.4 MUST [tls]** Lower case.", "- **3.4 MUST**No space.",
                "- **3.4** MUST Outside the bold.", "**3.4 MUST** Not a list item.", "- **3.4 MUST [TLS,IPV6]** No space.")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Spec.parse("- **1.1 MUST** Fine.\n" + bad + "\n"), bad);
            assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void everyCapabilityARuleNamesExists() {
        Set<String> known = new TreeSet<>();
        for (Capability c : Capability.values()) {
            known.add(c.name());
        }
        List<String> unknown = rules.values().stream()
                .flatMap(r -> r.capabilities().stream().filter(c -> !known.contains(c)).map(c -> r.id() + " [" + c + "]"))
                .toList();
        assertEquals(List.of(), unknown, "capabilities SPEC.md names that net.corosio.Capability does not have");
    }

    private static String groupOf(Class<?> ruleClass) {
        return switch (ruleClass.getSimpleName()) {
            case "DiscoveryRules", "ReleaseRules" -> "1";
            case "ConnectRules", "AcceptRules" -> "2";
            case "DataRules" -> "3";
            case "HalfCloseRules" -> "4";
            case "CloseRules" -> "5";
            case "BackpressureRules" -> "6";
            case "TimeoutRules" -> "7";
            case "TlsRules", "TlsParityRules", "TlsHandshakeRules" -> "8";
            case "HandlerRules" -> "9";
            case "ObservabilityRules" -> "10";
            case "JfrRules" -> "10";
            case "FaultRules" -> "11";
            case "EventLoopRules" -> "12";
            case "LendingRules" -> "13";
            default -> "?";
        };
    }
}
