package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import net.corosio.lab.report.ConsoleTable;
import net.corosio.lab.report.Environment;
import net.corosio.lab.report.JsonFiles;
import net.corosio.lab.soak.SoakResult;
import net.corosio.lab.soak.SoakRun;
import net.corosio.lab.soak.Trend;
import net.corosio.tck.Kit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corosio soak}: every backend's echo server under mixed traffic with random faults for a
 * long time, its resources sampled and their trend judged.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run every backend's echo server (each in its own JVM, all at once) under mixed traffic with "
                + "random faults on the path; sample descriptors, threads, heap after GC and direct buffers; fit a "
                + "trend; exit 1 if anything grows beyond noise, a byte comes back damaged, or something is left behind.")
public final class SoakCommand implements Callable<Integer> {

    /** The schema of the results file. */
    public static final String SCHEMA = "corosio-soak/1";

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "PT30M", converter = DurationConverter.class,
            description = "How long the clients run: PT30M, 30m, 60s (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found.")
    List<String> backends;

    @Option(names = "--workers", defaultValue = "4", description = "Clients per backend, each with its own faulty path (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--seed", description = "Seeds the clients' choices (default: the kit's seed, printed).")
    Long seed;

    @Option(names = "--json", defaultValue = "target/corosio-soak.json", description = "The results file (default ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--work-dir", defaultValue = "target/corosio-lab", description = "Where server logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    /** The file's content. */
    record SoakFile(String schema, String command, String started, Environment environment, Map<String, Object> options,
            List<SoakResult> results) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (duration.isNegative() || duration.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--duration must be positive: " + duration);
        }
        long runSeed = seed != null ? seed : Kit.seed();
        List<String> names = Implementations.resolve(backends, false);
        String started = Instant.now().toString();
        SoakRun soak = new SoakRun(names, duration, workers, workDir, runSeed, line -> {
            err.println(line);
            err.flush();
        });
        err.printf("soaking %s for %s, sampling every %s, seed %d%n", names, duration, soak.interval(), runSeed);
        err.flush();
        List<SoakResult> results = soak.run();

        ConsoleTable outcomes = new ConsoleTable("backend", "ok", "cut", "unexpected", "damaged B", "verdict").left(5);
        for (SoakResult r : results) {
            outcomes.row(r.backend(), count(r, "ok"), count(r, "cut"), count(r, "unexpected"), Long.toString(r.damagedBytes()),
                    r.failures().isEmpty() ? "ok" : "FAILED");
        }
        out.println("Soak " + duration + ": client cycles by outcome ('cut': failed under a fault that cuts the path, as it must):");
        out.print(outcomes);
        out.println();
        List<String> headers = new ArrayList<>(List.of("trend (growth over the window / noise)"));
        results.getFirst().trends().forEach(t -> headers.add(t.metric()));
        ConsoleTable trends = new ConsoleTable(headers.toArray(String[]::new));
        for (SoakResult r : results) {
            List<String> cells = new ArrayList<>(List.of(r.backend()));
            for (Trend t : r.trends()) {
                cells.add(String.format(Locale.ROOT, "%s / %s%s", ConsoleTable.si(t.growth()), ConsoleTable.si(t.noise()),
                        t.grows() ? " GROWS" : ""));
            }
            trends.row(cells.toArray(String[]::new));
        }
        out.println("Server resources after the warm-up, each sample after a full GC (a line fitted by least squares):");
        out.print(trends);
        boolean failed = false;
        for (SoakResult r : results) {
            for (String failure : r.failures()) {
                out.println("  " + r.backend() + ": " + failure);
                failed = true;
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("duration", duration);
        options.put("backends", names);
        options.put("workersPerBackend", workers);
        options.put("interval", soak.interval());
        options.put("seed", runSeed);
        JsonFiles.write(json, new SoakFile(SCHEMA, "soak", started, Environment.current(), options, results));
        out.println("wrote " + json.toAbsolutePath());
        out.flush();
        return failed ? Corosio.FAILED : Corosio.OK;
    }

    private static String count(SoakResult r, String outcome) {
        return Long.toString(r.outcomes().getOrDefault(outcome, 0L));
    }
}
