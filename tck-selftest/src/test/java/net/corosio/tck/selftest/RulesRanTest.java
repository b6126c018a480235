package net.corosio.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.corosio.tck.RuleRecorder;
import net.corosio.tck.Spec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Coverage counted by what ran: every MUST rule of SPEC.md, and every test of one, passed on at
 * least one backend's conformance run. A rule whose tests skip on every backend is not covered,
 * however many test methods cite it. Reads the records {@link RuleRecorder} leaves in each backend
 * module ({@code backend-X/target/corosio-tck/*.tsv}); Maven builds this module after the backends.
 *
 * <p>Skipped, with the reason, when the records cannot answer: a backend module has none (its
 * conformance tests have not run), or one was made by a partial run (a rule selection, or a filter
 * that left kit tests out).
 */
class RulesRanTest {

    /** One test's outcome in one conformance run. */
    private record Outcome(String kit, String test, String rule, String status, String detail) {}

    @Test
    void everyRequiredRuleAndEachOfItsTestsPassedOnSomeBackend() throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        for (Path module : backendModules()) {
            List<Path> records = records(module);
            Assumptions.assumeFalse(records.isEmpty(), () -> "no record of the kit in " + module.getFileName()
                    + " (its conformance tests have not run in this build or an earlier one)");
            for (Path record : records) {
                outcomes.addAll(read(record));
            }
        }
        Map<String, Spec.Rule> rules = Spec.rules();
        Map<String, List<Outcome>> byTest = new LinkedHashMap<>();
        Set<String> testsOfRequiredRules = new TreeSet<>();
        for (Method test : Spec.kitTests()) {
            Spec.citation(test.getName())
                    .filter(c -> rules.containsKey(c.ruleId()) && rules.get(c.ruleId()).level().isRequired())
                    .ifPresent(c -> testsOfRequiredRules.add(test.getName()));
        }
        outcomes.forEach(o -> byTest.computeIfAbsent(o.test(), t -> new ArrayList<>()).add(o));

        List<String> problems = new ArrayList<>();
        for (String test : testsOfRequiredRules) {
            List<Outcome> ran = byTest.getOrDefault(test, List.of());
            if (ran.stream().noneMatch(o -> o.status().equals("pass"))) {
                problems.add(test + " passed on no backend: " + (ran.isEmpty() ? "no run recorded"
                        : ran.stream().map(o -> o.kit() + " " + o.status() + " (" + o.detail() + ")").toList()));
            }
        }
        for (Spec.Rule rule : rules.values()) {
            if (rule.level().isRequired() && !rule.withdrawn()
                    && outcomes.stream().noneMatch(o -> o.rule().equals(rule.id()) && o.status().equals("pass"))) {
                problems.add("rule " + rule.id() + " (" + rule.keyword() + ") passed on no backend");
            }
        }
        assertEquals(List.of(), problems, "required rules or tests that ran nowhere");
    }

    private static List<Path> backendModules() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> children = Files.list(root)) {
            List<Path> modules = children
                    .filter(p -> p.getFileName().toString().startsWith("backend-") && Files.isDirectory(p))
                    .sorted()
                    .toList();
            Assumptions.assumeFalse(modules.isEmpty(), () -> "no backend module beside " + Path.of("").toAbsolutePath());
            return modules;
        }
    }

    private static List<Path> records(Path module) throws IOException {
        Path directory = module.resolve("target").resolve("corosio-tck");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
        }
    }

    /** Reads one run's record, skipping the test when the run was partial. */
    private static List<Outcome> read(Path record) throws IOException {
        String kit = record.getFileName().toString().replaceFirst("\\.tsv$", "");
        List<Outcome> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            if (line.startsWith("# selection ")) {
                String selection = line.substring("# selection ".length()).strip();
                Assumptions.assumeTrue(selection.isEmpty(), () -> kit + " ran only the rules " + selection
                        + " (" + record + ")");
            } else if (!line.startsWith("#") && !line.isBlank()) {
                String[] fields = line.split("\t", 4);
                outcomes.add(new Outcome(kit, fields[0], fields[1], fields[2], fields.length > 3 ? fields[3] : ""));
            }
        }
        int kitTests = Spec.kitTests().size();
        Assumptions.assumeTrue(outcomes.size() >= kitTests, () -> kit + "'s record lists " + outcomes.size() + " of the kit's "
                + kitTests + " tests: a partial run (" + record + ")");
        return outcomes;
    }
}
