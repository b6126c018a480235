package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import net.corosio.lab.bench.BenchOptions;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.bench.Campaign;
import net.corosio.lab.bench.Medians;
import net.corosio.lab.bench.Scenario;
import net.corosio.lab.report.Environment;
import net.corosio.lab.report.ResultTables;
import net.corosio.lab.report.ResultsFile;
import net.corosio.lab.server.ServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corosio compare}: the main job. Every backend and both baselines through the core
 * scenarios with short windows (about three minutes on two cores), then one table to read at a
 * glance, the API's cost against the native baselines, and a JSON file with everything.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Every backend and the native baselines through the core scenarios (about 3 minutes), "
                + "a table at a glance, the API's cost, and a JSON file with everything.")
public final class CompareCommand implements Callable<Integer> {

    /** The core scenarios, in table order. */
    static final List<Scenario> CORE = List.of(
            Scenario.PINGPONG, Scenario.ECHO, Scenario.BULK, Scenario.CHURN, Scenario.FANOUT, Scenario.IDLE);

    @Spec
    CommandSpec spec;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found and both baselines.")
    List<String> backends;

    @Option(names = "--scenarios", split = ",", converter = ScenarioConverter.class,
            description = "Comma-separated; default: pingpong,echo,bulk,churn,fanout,idle.")
    List<Scenario> scenarios;

    @Option(names = "--executors", split = ",", defaultValue = "virtual,loop",
            description = "Handler executors to run each backend on, where it supports them: virtual, loop,"
                    + " platform:N (default ${DEFAULT-VALUE}); a backend named with @executor runs on that one only.")
    List<String> executors;

    @Option(names = "--json", defaultValue = "target/corosio-compare.json", description = "Where to write every figure (default ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--work-dir", defaultValue = "target/corosio-lab", description = "Where server logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    BenchOptionsMixin knobs;

    @Override
    public Integer call() throws Exception {
        List<Scenario> plan = scenarios == null ? CORE : scenarios;
        List<String> impls = Implementations.withExecutors(Implementations.resolve(backends, true), executors);
        BenchOptions options = knobs.toOptions(spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Duration perRun = options.warmup().plus(options.duration()).plusSeconds(1);
        int count = plan.size() * impls.size() * options.rounds();
        err.printf("comparing %s on %s: %d runs, about %d s%n", plan.stream().map(Scenario::label).toList(), impls,
                count, perRun.toSeconds() * count);
        err.flush();
        String started = Instant.now().toString();
        List<BenchResult> runs = new Campaign(options, workDir, line -> {
            err.println(line);
            err.flush();
        }).run(plan, impls);
        List<BenchResult> results = Medians.of(runs);
        if (options.rounds() > 1) {
            out.println();
            out.printf("Each figure below is from the median of %d rounds (by the scenario's headline figure).%n",
                    options.rounds());
        }

        for (Scenario scenario : plan) {
            out.println();
            out.println(scenario.label() + " — " + scenario.description());
            List<BenchResult> ofScenario = results.stream().filter(r -> r.scenario().equals(scenario.label())).toList();
            out.print(ResultTables.scenario(ofScenario));
            out.print(ResultTables.heapBreakdown(ofScenario));
        }
        List<String> labels = plan.stream().map(Scenario::label).toList();
        out.println();
        out.println("At a glance (pingpong: median round trip; idle: live heap per idle connection):");
        out.print(ResultTables.glance(results, labels));
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("netty", ServerMain.NETTY_NATIVE);
        pairs.put("jetty", ServerMain.JETTY_NATIVE);
        pairs.put("nio", ServerMain.NETTY_NATIVE); // a hand-written loop against the best native baseline there is
        String boundary = ResultTables.boundary(results, pairs,
                labels.stream().filter(l -> !l.equals("idle")).toList());
        if (!boundary.isEmpty()) {
            out.println();
            out.println("What the API costs: throughput through the API over the same library used directly (1.00 = free):");
            out.print(boundary);
        }
        if (options.rounds() > 1) {
            out.println();
            out.println("How far the rounds disagreed on the headline figure:");
            out.print(ResultTables.spread(runs, labels));
        }
        new ResultsFile(ResultsFile.SCHEMA, "compare", started, Environment.current(), options, runs).write(json);
        out.println();
        out.println("wrote " + json.toAbsolutePath());
        out.flush();
        return results.stream().allMatch(r -> !r.status().equals("failed")) ? Corosio.OK : Corosio.FAILED;
    }
}
