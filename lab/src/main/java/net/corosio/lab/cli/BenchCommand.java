package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import net.corosio.lab.bench.BenchOptions;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.bench.BenchRunner;
import net.corosio.lab.bench.Campaign;
import net.corosio.lab.bench.Medians;
import net.corosio.lab.bench.Scenario;
import net.corosio.lab.bench.Sweep;
import net.corosio.lab.report.Environment;
import net.corosio.lab.report.ResultTables;
import net.corosio.lab.report.ResultsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code corosio bench}: one scenario, one row per backend. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run one scenario on each backend (and the native baselines): one row per backend.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, converter = ScenarioConverter.class,
            description = "pingpong, echo, bulk, bulk-duplex, churn, fanout or idle.")
    Scenario scenario;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found and both baselines.")
    List<String> backends;

    @Option(names = "--target", description = "Also drive an external echo server, host:port (with --control, a "
            + "`corosio serve`: full server figures).")
    String target;

    @Option(names = "--control", description = "The control port of a `corosio serve` at --target, host:port: "
            + "the row then has the server's CPU, memory, GC and allocation.")
    String control;

    @Option(names = "--json", description = "Also write every figure to this JSON file.")
    Path json;

    @Option(names = "--work-dir", defaultValue = "target/corosio-lab", description = "Where server logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    BenchOptionsMixin knobs;

    /** The scenario at each combination of the knobs given several values; baselines only where they apply. */
    private Sweep sweep(Scenario chosen) {
        Map<String, List<?>> axes = knobs.axes();
        if (axes.isEmpty()) {
            return Sweep.single(chosen);
        }
        return Sweep.of(chosen, axes, !axes.containsKey("executor") && !axes.containsKey("carriers"));
    }

    @Override
    public Integer call() throws Exception {
        Scenario chosen = scenario;
        List<String> impls = new java.util.ArrayList<>(
                target != null && backends == null ? List.of() : Implementations.resolve(backends, true));
        if (target != null) {
            if (!target.matches(".+:[0-9]+")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--target must be host:port, not " + target);
            }
            if (control != null && !control.matches(".+:[0-9]+")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--control must be host:port, not " + control);
            }
            impls.add(BenchRunner.external(target, control));
        } else if (control != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--control needs --target");
        }
        BenchOptions options = knobs.toOptions(spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        String started = Instant.now().toString();
        List<BenchResult> runs = new Campaign(options, workDir, line -> {
            err.println(line);
            err.flush();
        }).sweep(List.of(sweep(chosen)), impls);
        List<BenchResult> results = Medians.of(runs);
        PrintWriter out = spec.commandLine().getOut();
        out.println(chosen.label() + ": " + chosen.description()
                + (options.rounds() > 1 ? " (median of " + options.rounds() + " rounds)" : ""));
        out.print(ResultTables.scenario(results));
        out.print(ResultTables.heapBreakdown(results));
        if (options.rounds() > 1) {
            out.print(ResultTables.spread(runs, List.of(chosen.label())));
        }
        if (json != null) {
            new ResultsFile(ResultsFile.SCHEMA, "bench --scenario " + chosen.label(), started, Environment.current(),
                    options, runs).write(json);
            out.println("wrote " + json);
        }
        out.flush();
        return results.stream().allMatch(r -> !r.status().equals("failed")) ? Corosio.OK : Corosio.FAILED;
    }
}
