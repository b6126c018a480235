package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import net.corosio.lab.report.TckResultsFile;

/**
 * How predictable failure semantics are: the rule × backend matrix of the compatibility kit, the
 * interop matrix, the faults matrix, and how many corrections of native behaviour it took.
 */
final class FailureSection {

    /** What the page says when no faults file was given. */
    static final String NO_FAULTS = "no faults results; run ./corosio faults";

    private FailureSection() {}

    static Section build(ReportInputs inputs, Architecture architecture) {
        Section.Evidence evidence = new Section.Evidence();
        List<String> sentences = new ArrayList<>();
        TckResultsFile tck = inputs.tck();
        if (tck != null && !tck.kit().isEmpty()) {
            List<String> backends = tck.kit().stream().map(TckResultsFile.KitOutcome::backend).distinct().toList();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String status : List.of("pass", "skip", "FAIL", "none")) {
                List<Double> counts = backends.stream().map(b -> (double) tck.kit().stream()
                        .filter(o -> o.backend().equals(b) && o.status().equals(status)).count()).toList();
                if (counts.stream().anyMatch(c -> c > 0)) {
                    series.put(status, counts);
                }
            }
            evidence.chart(Charts.stackedBars("Rules of tck/SPEC.md by outcome", "rules", backends, series),
                    "Each backend against the kit's JDK-socket oracle; a skip is a capability the backend does not declare.");
            Map<String, Map<String, String>> byRule = new LinkedHashMap<>();
            tck.kit().forEach(o -> byRule.computeIfAbsent(o.rule(), k -> new LinkedHashMap<>()).put(o.backend(), o.status()));
            long everywhere = byRule.values().stream().filter(m -> m.values().stream().allMatch("pass"::equals)).count();
            List<TckResultsFile.KitOutcome> failures = tck.kit().stream().filter(o -> o.status().equals("FAIL")).toList();
            sentences.add(String.format(Locale.ROOT, "%d of %d rules pass on every backend%s", everywhere, byRule.size(),
                    failures.isEmpty() ? " and none fails anywhere" : ", " + failures.size() + " fail ("
                            + failures.stream().map(o -> o.rule() + " on " + o.backend()).collect(Collectors.joining(", ")) + ")"));
            List<List<String>> rows = new ArrayList<>();
            Map<String, String> texts = tck.rules().stream().collect(Collectors.toMap(TckResultsFile.Rule::id,
                    TckResultsFile.Rule::text, (a, b) -> a));
            byRule.forEach((rule, cells) -> {
                if (!cells.values().stream().allMatch("pass"::equals)) {
                    List<String> row = new ArrayList<>(List.of(rule));
                    backends.forEach(b -> row.add(cells.getOrDefault(b, "none")));
                    row.add(texts.getOrDefault(rule, ""));
                    rows.add(row);
                }
            });
            if (!rows.isEmpty()) {
                List<String> headers = new ArrayList<>(List.of("rule"));
                headers.addAll(backends);
                headers.add("statement");
                evidence.heading("Rules not passed everywhere").html(Html.table(headers, rows));
            }
        } else {
            sentences.add("the inputs hold no kit results (run ./corosio tck)");
            evidence.note("No kit results: run ./corosio tck (it writes target/corosio-tck.json).");
        }
        if (tck != null && !tck.interop().isEmpty()) {
            long applicable = tck.interop().stream().filter(o -> !o.status().equals("n/a")).count();
            long ok = tck.interop().stream().filter(o -> o.status().equals("ok")).count();
            sentences.add(String.format(Locale.ROOT, "%d of %d client × server pairs interoperate (plain and TLS)", ok, applicable));
            for (boolean tls : List.of(false, true)) {
                evidence.heading("Interop, " + (tls ? "TLS" : "plain TCP") + " (client ↓, server →)")
                        .html(interop(tck.interop().stream().filter(o -> o.tls() == tls).toList()));
            }
        }
        List<Correction> corrections = architecture == null ? List.of() : architecture.corrections();
        if (architecture != null) {
            List<String> names = architecture.adapters().stream().map(Adapter::name).toList();
            evidence.chart(Charts.bars("Corrections of native behaviour marked in each backend", "corrections", names,
                    Map.of("corrections", architecture.adapters().stream().map(a -> (double) a.corrections().size()).toList())),
                    "Counted from the '// @corrects' markers in the backends' sources when this page was made.");
            sentences.add(String.format(Locale.ROOT, "the backends make %d marked corrections of native behaviour (%s)",
                    corrections.size(), architecture.adapters().stream()
                            .map(a -> a.name() + " " + a.corrections().size()).collect(Collectors.joining(", "))));
        }
        evidence.heading("Faults");
        FaultsReader.Matrix faults = inputs.faults();
        if (faults == null) {
            evidence.note(NO_FAULTS + ".");
        } else {
            List<List<String>> rows = new ArrayList<>();
            faults.cells().forEach((fault, cells) -> {
                List<String> row = new ArrayList<>(List.of(fault));
                faults.columns().forEach(c -> row.add(cells.getOrDefault(c, "none")));
                rows.add(row);
            });
            List<String> headers = new ArrayList<>(List.of("fault"));
            headers.addAll(faults.columns());
            evidence.html(Html.table(headers, rows));
            faults.details().forEach(evidence::note);
            long cells = faults.cells().values().stream().mapToLong(Map::size).sum();
            long passed = faults.cells().values().stream().flatMap(m -> m.values().stream())
                    .filter(FaultsReader.Matrix::passed).count();
            sentences.add(String.format(Locale.ROOT, "%d of %d fault × backend cells behave as specified", passed, cells));
        }
        evidence.reproduce("./corosio tck", "./corosio faults");
        String answer = sentences.isEmpty() ? "No kit, interop or faults results in the inputs: run ./corosio tck."
                : LoadSection.capitalise(String.join("; ", sentences)) + ".";
        return evidence.section("failures", "Failure semantics", "How predictable are failures across backends?", answer);
    }

    private static String interop(List<TckResultsFile.InteropOutcome> cells) {
        List<String> backends = cells.stream().map(TckResultsFile.InteropOutcome::client).distinct().toList();
        List<List<String>> rows = new ArrayList<>();
        for (String client : backends) {
            List<String> row = new ArrayList<>(List.of(client));
            for (String server : backends) {
                row.add(cells.stream().filter(c -> c.client().equals(client) && c.server().equals(server))
                        .map(TckResultsFile.InteropOutcome::status).findFirst().orElse("none"));
            }
            rows.add(row);
        }
        List<String> headers = new ArrayList<>(List.of("client \\ server"));
        headers.addAll(backends);
        return Html.table(headers, rows);
    }
}
