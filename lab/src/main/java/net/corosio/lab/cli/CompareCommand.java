package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import net.corosio.lab.bench.Sweep;
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

    @Option(names = "--sweeps", split = ",", defaultValue = "load,rate,scheduler,tls",
            description = "After the core scenarios: load (echo at 1,16,64,256,1024 connections), rate (echo latency at "
                    + "offered rates, open loop), scheduler (echo per executor x carriers, and I/O threads), tls (churn over "
                    + "TLS); 'none' for the core scenarios alone (default ${DEFAULT-VALUE}).")
    List<String> sweeps;

    @Option(names = "--sweep-executors", split = ",", defaultValue = "virtual,loop,platform:4",
            description = "The handler executors the scheduler sweep compares (default ${DEFAULT-VALUE}).")
    List<String> sweepExecutors;

    @Option(names = "--sweep-warmup", defaultValue = "500ms", converter = DurationConverter.class,
            description = "Warm-up of each sweep run (default ${DEFAULT-VALUE}).")
    Duration sweepWarmup;

    @Option(names = "--sweep-duration", defaultValue = "1500ms", converter = DurationConverter.class,
            description = "Measurement window of each sweep run (default ${DEFAULT-VALUE}).")
    Duration sweepDuration;

    @Option(names = "--report", defaultValue = "target/corosio-report.html",
            description = "Where the one-page HTML report goes (default ${DEFAULT-VALUE}).")
    Path report;

    @Mixin
    BenchOptionsMixin knobs;

    @Override
    public Integer call() throws Exception {
        List<Scenario> plan = scenarios == null ? CORE : scenarios;
        List<String> backendsAndBaselines = Implementations.resolve(backends, true);
        List<String> impls = Implementations.withExecutors(backendsAndBaselines, executors);
        BenchOptions options = knobs.toOptions(spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        List<Sweep> sweepPlan = CompareSweeps.plan(sweeps, sweepExecutors);
        BenchOptions sweepOptions = options.withDurations(sweepWarmup, sweepDuration);
        Duration perRun = options.warmup().plus(options.duration()).plusSeconds(1);
        int count = plan.size() * impls.size() * options.rounds();
        int sweepCount = 0;
        for (Sweep sweep : sweepPlan) {
            sweepCount += sweep.points().size() * (sweep.withBaselines() ? backendsAndBaselines.size()
                    : (int) backendsAndBaselines.stream().filter(i -> !i.endsWith("-native")).count()) * options.rounds();
        }
        long seconds = perRun.toSeconds() * count
                + sweepWarmup.plus(sweepDuration).plusSeconds(1).toSeconds() * sweepCount;
        err.printf("comparing %s on %s, then sweeps %s: %d runs, about %d min%n", plan.stream().map(Scenario::label).toList(),
                impls, CompareSweeps.describe(sweepPlan), count + sweepCount, Math.max(1, Math.round(seconds / 60.0)));
        err.flush();
        String started = Instant.now().toString();
        List<BenchResult> runs = new Campaign(options, workDir, line -> {
            err.println(line);
            err.flush();
        }).run(plan, impls);
        List<BenchResult> results = Medians.of(runs);
        List<BenchResult> swept = sweepPlan.isEmpty() ? List.of() : new Campaign(sweepOptions, workDir, line -> {
            err.println(line);
            err.flush();
        }).sweep(sweepPlan, backendsAndBaselines); // a sweep point sets the executor itself
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
        if (!swept.isEmpty()) {
            out.println();
            out.printf("The sweeps (%s measured, %s warm-up each; the report draws them):%n", sweepDuration, sweepWarmup);
            for (Sweep sweep : sweepPlan) {
                List<BenchResult> these = Medians.of(swept).stream()
                        .filter(r -> r.scenario().equals(sweep.scenario().label())
                                && sweep.points().contains(r.point()))
                        .toList();
                out.println();
                out.println(sweep.scenario().label() + " at " + sweep.points().size() + " point(s)");
                out.print(ResultTables.scenario(these));
            }
        }
        List<BenchResult> everything = new ArrayList<>(runs);
        for (BenchResult r : swept) {
            // The file's options hold the core window; each sweep run records its own.
            Map<String, Object> point = new LinkedHashMap<>(r.point());
            point.put("warmup", sweepWarmup.toString());
            point.put("duration", sweepDuration.toString());
            everything.add(r.at(point));
        }
        new ResultsFile(ResultsFile.SCHEMA, "compare", started, Environment.current(), options, everything).write(json);
        out.println();
        out.println("wrote " + json.toAbsolutePath());
        List<Path> inputs = new ArrayList<>(ReportCommand.resultsFiles(json.toAbsolutePath().getParent()));
        if (!inputs.contains(json.toAbsolutePath())) {
            inputs.add(json.toAbsolutePath());
        }
        out.println("wrote the report " + ReportCommand.write(inputs, null, report, err).toAbsolutePath());
        out.flush();
        return results.stream().allMatch(r -> !r.status().equals("failed")) ? Corosio.OK : Corosio.FAILED;
    }
}
