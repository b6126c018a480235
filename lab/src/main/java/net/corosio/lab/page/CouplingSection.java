package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.report.ConsoleTable;

/**
 * How tightly the abstraction couples: what the API's boundary costs (each backend's throughput
 * over its library used directly), which library types each adapter touches, and what each
 * backend brings along (dependencies and jar sizes).
 */
final class CouplingSection {

    /** Backend → the baseline written directly on the same library. */
    static final Map<String, String> PAIRS = Map.of("netty", "netty-native", "jetty", "jetty-native");

    private static final List<String> SCENARIOS = List.of("pingpong", "echo", "bulk", "churn");

    private CouplingSection() {}

    static Section build(ReportInputs inputs, Architecture architecture) {
        Section.Evidence evidence = new Section.Evidence();
        List<String> sentences = new ArrayList<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        List<String> echoRatios = new ArrayList<>();
        for (String backend : List.of("netty", "jetty")) {
            List<Double> values = new ArrayList<>();
            for (String scenario : SCENARIOS) {
                values.add(ratio(inputs.bench(), scenario, backend).orElse(Double.NaN));
            }
            if (values.stream().anyMatch(v -> !v.isNaN())) {
                ratios.put(backend + " / " + PAIRS.get(backend), values);
                ratio(inputs.bench(), "echo", backend).ifPresent(r ->
                        echoRatios.add(String.format(Locale.ROOT, "%s keeps %.2f", backend, r)));
            }
        }
        if (!ratios.isEmpty()) {
            evidence.chart(Charts.bars("What the API costs: API / native throughput",
                    "ratio (1.00 = free)", SCENARIOS, ratios),
                    "The same scenario, run on the backend and on an echo server written directly on its library.");
            sentences.add("through the API " + String.join(" and ", echoRatios) + " of its library's native echo throughput");
        } else {
            evidence.note("No runs of the native baselines in the inputs: ./corosio compare runs them.");
        }
        if (architecture != null && !architecture.adapters().isEmpty()) {
            List<Adapter> adapters = architecture.adapters();
            List<String> names = adapters.stream().map(Adapter::name).toList();
            Map<String, List<Double>> types = new LinkedHashMap<>();
            types.put("library types", adapters.stream().map(a -> (double) a.libraryTypes().size()).toList());
            types.put("JDK networking types", adapters.stream().map(a -> (double) a.jdkIoTypes().size()).toList());
            evidence.chart(Charts.bars("Types each adapter imports", "distinct types", names, types),
                    "From the backends' import statements when this page was made: third-party library types, "
                            + "and java.net / java.nio.channels / javax.net.ssl types.");
            if (adapters.stream().allMatch(a -> a.dependencies() != null)) {
                evidence.chart(Charts.bars("Run-time dependencies per backend", "MiB", names,
                        Map.of("dependencies", adapters.stream().map(a -> a.dependencyBytes() / 1048576.0).toList())),
                        "The jars each backend needs besides corosio-api, from the build's dependency list "
                                + "(target/corosio-dependencies.txt).");
            } else {
                evidence.note("The backends' dependency lists are missing: build them (./mvnw -B package -DskipTests).");
            }
            List<List<String>> rows = new ArrayList<>();
            for (Adapter a : adapters) {
                rows.add(List.of(a.name(), a.jarBytes() < 0 ? "not built" : ConsoleTable.bytes(a.jarBytes()),
                        a.dependencies() == null ? "?" : Integer.toString(a.dependencies().size()),
                        a.dependencies() == null ? "?" : ConsoleTable.bytes(a.dependencyBytes()),
                        Integer.toString(a.libraryTypes().size()), packages(a.libraryTypes())));
            }
            evidence.html(Html.table(List.of("backend", "jar", "dependencies", "their size", "library types", "from"), rows));
            Adapter most = adapters.stream().max(java.util.Comparator.comparingInt(a -> a.libraryTypes().size())).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "the %s adapter touches the most library types (%d)%s", most.name(),
                    most.libraryTypes().size(), adapters.stream().allMatch(a -> a.dependencies() != null)
                            ? "; run-time dependencies: " + adapters.stream().map(a -> a.name() + " " + ConsoleTable.bytes(a.dependencyBytes()))
                                    .collect(Collectors.joining(", "))
                            : ""));
        }
        evidence.reproduce("./corosio compare --sweeps none");
        String answer = sentences.isEmpty() ? "No baseline runs and no sources found: run ./corosio compare from the project."
                : LoadSection.capitalise(String.join("; ", sentences)) + ".";
        return evidence.section("coupling", "Coupling", "What does the abstraction cost, and how much of each library "
                + "does it touch?", answer);
    }

    private static Optional<Double> ratio(BenchRuns bench, String scenario, String backend) {
        Optional<BenchResult> api = bench.plain(scenario).stream().filter(r -> r.ok() && r.impl().equals(backend)).findFirst();
        Optional<BenchResult> bare = bench.plain(scenario).stream()
                .filter(r -> r.ok() && r.impl().equals(PAIRS.get(backend)) && r.throughput() > 0).findFirst();
        return api.isPresent() && bare.isPresent()
                ? Optional.of(api.get().throughput() / bare.get().throughput()) : Optional.empty();
    }

    /** The packages the types come from, shortened to their first three parts. */
    private static String packages(List<String> types) {
        return types.stream().map(t -> {
            String[] parts = t.split("\\.");
            return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
        }).distinct().collect(Collectors.joining(", "));
    }
}
