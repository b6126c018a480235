package net.corosio.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.lab.Corosio;
import net.corosio.lab.report.ConsoleTable;
import net.corosio.lab.report.Environment;
import net.corosio.lab.report.TckResultsFile;
import net.corosio.lab.tck.InteropCheck;
import net.corosio.lab.tck.KitRunner;
import net.corosio.lab.tck.RuleOutcome;
import net.corosio.spi.TransportProvider;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corosio tck}: the compatibility kit on every backend, as a rule × backend matrix, and the
 * interop matrix (every backend's client against every backend's server, plain and TLS).
 */
@Command(name = "tck", mixinStandardHelpOptions = true,
        description = "Run the compatibility kit on each backend and print the rule x backend matrix, "
                + "then the interop matrix: every backend's client against every backend's server, plain and TLS.")
public final class TckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found.")
    List<String> backends;

    @Option(names = "--prop", description = "A backend property for every run, key=value (e.g. netty.io=nio).")
    Map<String, String> properties = Map.of();

    @Option(names = "--interop", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the interop matrix (default; --no-interop skips it).")
    boolean interop;

    @Option(names = "--kit", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the kit (default; --no-kit runs only the interop matrix).")
    boolean kit;

    @Option(names = "--json", defaultValue = "target/corosio-tck.json",
            description = "Where to write every outcome (default ${DEFAULT-VALUE}); `corosio report` reads it.")
    Path json;

    private final List<TckResultsFile.KitOutcome> kitOutcomes = new ArrayList<>();
    private final List<TckResultsFile.InteropOutcome> interopOutcomes = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, TransportProvider> providers = new LinkedHashMap<>();
        for (String name : Implementations.resolve(backends, false)) {
            TransportProvider provider = Transport.available().stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no backend named " + name));
            providers.put(name, provider);
        }
        if (providers.isEmpty()) {
            err.println("no backend found on the class path");
            return Corosio.ENVIRONMENT;
        }
        String started = Instant.now().toString();
        boolean failed = false;
        if (kit) {
            failed |= runKit(providers, out, err);
        }
        if (interop) {
            failed |= runInterop(providers, false, out, err);
            failed |= runInterop(providers, true, out, err);
        }
        List<TckResultsFile.Rule> rules = net.corosio.tck.Spec.rules().values().stream()
                .map(r -> new TckResultsFile.Rule(r.id(), r.keyword(), r.text())).toList();
        String command = String.join(" ", spec.commandLine().getParseResult().originalArgs());
        new TckResultsFile(TckResultsFile.SCHEMA, command.isEmpty() ? "tck" : "tck " + command, started,
                Environment.current(), properties, rules, kitOutcomes, interopOutcomes).write(json);
        out.println("wrote " + json.toAbsolutePath());
        out.flush();
        return failed ? Corosio.FAILED : Corosio.OK;
    }

    private boolean runKit(Map<String, TransportProvider> providers, PrintWriter out, PrintWriter err) {
        TransportConfig config = new TransportConfig(0, properties);
        Map<String, Map<String, RuleOutcome>> byBackend = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        providers.forEach((name, provider) -> {
            err.println("running the kit on " + name + " ...");
            err.flush();
            long t0 = System.nanoTime();
            byBackend.put(name, KitRunner.run(provider, config, line -> {
                err.println(line);
                err.flush();
            }));
            seconds.put(name, (System.nanoTime() - t0) / 1e9);
            err.printf("  %s done in %.0f s%n", name, seconds.get(name));
            err.flush();
        });
        List<String> headers = new ArrayList<>(List.of("rule", "level"));
        headers.addAll(byBackend.keySet());
        headers.add("statement");
        ConsoleTable table = new ConsoleTable(headers.toArray(String[]::new)).left(1, headers.size() - 1);
        List<String> notes = new ArrayList<>();
        boolean failed = false;
        for (net.corosio.tck.Spec.Rule rule : net.corosio.tck.Spec.rules().values()) {
            List<String> cells = new ArrayList<>(List.of(rule.id(), rule.keyword()));
            for (Map.Entry<String, Map<String, RuleOutcome>> backend : byBackend.entrySet()) {
                RuleOutcome outcome = backend.getValue().get(rule.id());
                String status = outcome == null ? "none" : outcome.status();
                cells.add(status);
                kitOutcomes.add(new TckResultsFile.KitOutcome(backend.getKey(), rule.id(), status,
                        outcome == null ? "" : outcome.detail(), seconds.get(backend.getKey())));
                if (outcome != null && !outcome.status().equals("pass")) {
                    notes.add(rule.id() + " on " + backend.getKey() + ": " + outcome.status() + " — " + outcome.detail());
                }
                if (outcome == null || (outcome.status().equals("FAIL") && rule.level().isRequired())) {
                    failed = true;
                }
            }
            String text = rule.text();
            cells.add(text.length() > 60 ? text.substring(0, 57) + "..." : text);
            table.row(cells.toArray(String[]::new));
        }
        out.println("The compatibility kit, rule by rule (tck/SPEC.md):");
        out.print(table);
        List<String> passedNowhere = net.corosio.tck.Spec.rules().values().stream()
                .filter(rule -> rule.level().isRequired() && !rule.withdrawn())
                .filter(rule -> byBackend.values().stream().map(outcomes -> outcomes.get(rule.id()))
                        .noneMatch(outcome -> outcome != null && outcome.status().equals("pass")))
                .map(net.corosio.tck.Spec.Rule::id)
                .toList();
        if (!passedNowhere.isEmpty()) {
            out.println();
            out.println("MUST rules that passed on none of these backends (a rule skipped everywhere is not covered): "
                    + String.join(", ", passedNowhere));
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("Failures and skips:");
            notes.forEach(note -> out.println("  " + note));
        }
        out.println();
        return failed;
    }

    private boolean runInterop(Map<String, TransportProvider> providers, boolean tls, PrintWriter out, PrintWriter err) {
        List<String> headers = new ArrayList<>(List.of("client \\ server"));
        headers.addAll(providers.keySet());
        ConsoleTable table = new ConsoleTable(headers.toArray(String[]::new));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, TransportProvider> client : providers.entrySet()) {
            List<String> cells = new ArrayList<>(List.of(client.getKey()));
            for (Map.Entry<String, TransportProvider> server : providers.entrySet()) {
                boolean applicable = !tls || (client.getValue().capabilities().contains(net.corosio.Capability.TLS)
                        && server.getValue().capabilities().contains(net.corosio.Capability.TLS));
                if (!applicable) {
                    cells.add("n/a");
                    interopOutcomes.add(new TckResultsFile.InteropOutcome(tls, client.getKey(), server.getKey(), "n/a", null));
                    continue;
                }
                String problem = InteropCheck.run(client.getValue(), server.getValue(), tls);
                cells.add(problem == null ? "ok" : "FAIL");
                interopOutcomes.add(new TckResultsFile.InteropOutcome(tls, client.getKey(), server.getKey(),
                        problem == null ? "ok" : "FAIL", problem));
                if (problem != null) {
                    problems.add(client.getKey() + " -> " + server.getKey() + ": " + problem);
                }
            }
            table.row(cells.toArray(String[]::new));
        }
        out.println("Interop, " + (tls ? "TLS" : "plain TCP") + " (256 KiB echoed, half-close, clean close):");
        out.print(table);
        problems.forEach(p -> out.println("  " + p));
        out.println();
        return !problems.isEmpty();
    }
}
