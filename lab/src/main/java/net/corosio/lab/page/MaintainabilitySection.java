package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Long-term maintainability: adapter size, shared versus per-backend code, the list of corrections
 * to native behaviour (from the sources' markers), and test counts per backend.
 */
final class MaintainabilitySection {

    private MaintainabilitySection() {}

    static Section build(Architecture architecture) {
        Section.Evidence evidence = new Section.Evidence();
        if (architecture == null || architecture.adapters().isEmpty()) {
            evidence.note("The project's sources were not found: run corosio report from the project "
                    + "(or give --sources DIR).");
            return evidence.section("maintainability", "Maintainability", "What will each backend cost to keep?",
                    "No sources found: the architecture figures are measured from the project's sources.");
        }
        List<Adapter> adapters = architecture.adapters();
        List<String> categories = new ArrayList<>(adapters.stream().map(Adapter::name).toList());
        categories.add("shared SPI");
        Map<String, List<Double>> lines = new LinkedHashMap<>();
        List<Double> tls = new ArrayList<>(adapters.stream().map(a -> (double) a.tlsLines()).toList());
        tls.add(0.0);
        List<Double> other = new ArrayList<>(adapters.stream().map(a -> (double) (a.codeLines() - a.tlsLines())).toList());
        other.add((double) architecture.sharedSpiLines());
        lines.put("TLS code", tls);
        lines.put("other code", other);
        evidence.chart(Charts.stackedBars("Adapter size and the code every backend shares", "code lines", categories, lines),
                "Non-blank, non-comment lines of main sources. 'shared SPI': net.corosio.spi, the support classes every "
                        + "backend uses (connection state, timeouts, the TLS codec, the event-loop bridge).");
        Map<String, List<Double>> tests = new LinkedHashMap<>();
        tests.put("own tests", adapters.stream().map(a -> (double) a.ownTests()).toList());
        tests.put("kit tests", adapters.stream().map(a -> (double) a.kitRuns() * architecture.kitTests()).toList());
        evidence.chart(Charts.stackedBars("Tests per backend", "test methods", adapters.stream().map(Adapter::name).toList(), tests),
                "Own tests: test methods in the backend's test sources. Kit tests: the compatibility kit's "
                        + architecture.kitTests() + " test methods, once per *ConformanceTest class (Netty runs it per I/O mode).");
        List<List<String>> rows = new ArrayList<>();
        for (Correction c : architecture.corrections()) {
            rows.add(List.of(c.backend(), c.id(), c.text(), c.file().replaceFirst("^src/main/java/", "") + ":" + c.line()));
        }
        evidence.heading("Corrections to native behaviour (from the '// @corrects' markers)")
                .html(rows.isEmpty() ? "<p class=\"note\">No markers found.</p>"
                        : Html.table(List.of("backend", "corrects", "what the library does, and what the backend does instead",
                                "where"), rows));
        List<List<String>> sizes = new ArrayList<>();
        for (Adapter a : adapters) {
            sizes.add(List.of(a.name(), Integer.toString(a.files()), Integer.toString(a.codeLines()),
                    Integer.toString(a.tlsLines()), Integer.toString(a.corrections().size()), Integer.toString(a.ownTests()),
                    Integer.toString(a.kitRuns())));
        }
        evidence.html(Html.table(List.of("backend", "files", "code lines", "TLS lines", "corrections", "own tests",
                "kit runs"), sizes));
        Adapter smallest = adapters.stream().min(Comparator.comparingInt(Adapter::codeLines)).orElseThrow();
        Adapter largest = adapters.stream().max(Comparator.comparingInt(Adapter::codeLines)).orElseThrow();
        String answer = String.format(Locale.ROOT, "The adapters run from %d code lines (%s) to %d (%s) on %d lines of "
                + "shared SPI support; %d corrections of native behaviour are marked (%s), and each backend has from %d to %d "
                + "tests of its own besides the kit's %d.", smallest.codeLines(), smallest.name(), largest.codeLines(),
                largest.name(), architecture.sharedSpiLines(), architecture.corrections().size(),
                adapters.stream().map(a -> a.name() + " " + a.corrections().size()).collect(Collectors.joining(", ")),
                adapters.stream().mapToInt(Adapter::ownTests).min().orElse(0),
                adapters.stream().mapToInt(Adapter::ownTests).max().orElse(0), architecture.kitTests());
        evidence.reproduce("./corosio report");
        return evidence.section("maintainability", "Maintainability", "What will each backend cost to keep?", answer);
    }
}
