package net.corosio.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import net.corosio.lab.apps.AppsRun;
import net.corosio.lab.apps.AppsRun.Row;
import net.corosio.lab.report.AppsResultsFile;
import net.corosio.lab.report.ConsoleTable;
import net.corosio.lab.report.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corosio apps}: one example application on every backend in turn, under the same real
 * client — wrk for {@code http}, redis-benchmark for {@code resp} — with nginx or redis-server as
 * reference rows when installed, measured in the same run.
 */
@Command(name = "apps", mixinStandardHelpOptions = true,
        description = {"Run an example application (the examples module) on every backend in turn under the same "
                + "real client — wrk for http, redis-benchmark for resp — and print requests/s and latency per "
                + "backend. nginx (http) or redis-server (resp) are measured in the same run as reference rows when "
                + "installed. Each server runs in its own process."})
public final class AppsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--app", required = true, description = "http or resp.")
    AppsRun.App app;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found.")
    List<String> backends;

    @Option(names = "--duration", defaultValue = "5s",
            description = "http: how long wrk measures, in whole seconds: 5s, 2m, 1h or ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s",
            description = "http: how long wrk runs first, unmeasured, in whole seconds; resp: any but 0 runs a warm-up "
                    + "pass of a quarter of the requests (0: none; default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--connections", defaultValue = "50", description = "Client connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--threads", defaultValue = "1", description = "http: wrk threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--requests", defaultValue = "1000000", description = "resp: requests per test (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--pipeline", defaultValue = "16", description = "resp: requests in flight per connection (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--no-reference", description = "Leave out nginx / redis-server even when installed.")
    boolean noReference;

    @Option(names = "--work-dir", defaultValue = "target/corosio-lab", description = "Where server logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--json", description = "Where to write every figure (default: target/corosio-apps-<app>.json); "
            + "`corosio report` reads it.")
    Path json;

    @Override
    public Integer call() throws IOException {
        String started = Instant.now().toString();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppsRun.Settings settings = new AppsRun.Settings(wholeSeconds("--duration", duration, 1),
                wholeSeconds("--warmup", warmup, 0), connections, threads, requests, pipeline);
        AppsRun run = new AppsRun(app, settings, Files.createDirectories(workDir.resolve("apps")), line -> {
                    err.println(line);
                    err.flush();
                });
        Optional<String> missing = run.missingClient();
        if (missing.isPresent()) {
            err.println(missing.get());
            return Corosio.ENVIRONMENT;
        }
        List<Row> rows = new ArrayList<>();
        for (String backend : Implementations.resolve(backends, false)) {
            rows.add(run.measureExample(backend));
        }
        if (!noReference) {
            run.measureReference().ifPresent(rows::add);
        }
        out.println(run.describe());
        out.print(table(rows));
        for (Row row : rows) {
            if (row.failure() != null) {
                out.println(row.server() + ": " + row.failure());
            }
        }
        Path file = json != null ? json : Path.of("target", "corosio-apps-" + app + ".json");
        new AppsResultsFile(AppsResultsFile.SCHEMA, "apps --app " + app, started, Environment.current(), app.name(),
                run.describe(), settings, rows).write(file);
        out.println("wrote " + file.toAbsolutePath());
        out.flush();
        return rows.stream().anyMatch(r -> r.failure() != null) ? Corosio.FAILED : Corosio.OK;
    }

    /** wrk counts in whole seconds: a usage error rather than a silently rounded run. */
    private int wholeSeconds(String option, Duration value, int min) {
        if (value.toNanosPart() != 0 || value.toSeconds() < min || value.toSeconds() > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), option + " must be whole seconds, at least " + min
                    + "s (wrk counts in seconds), not " + value.toMillis() + "ms");
        }
        return (int) value.toSeconds();
    }

    private ConsoleTable table(List<Row> rows) {
        ConsoleTable table = app == AppsRun.App.http
                ? new ConsoleTable("server", "requests/s", "avg", "p50", "p90", "p99", "max", "errors")
                : new ConsoleTable("server", "SET req/s", "SET avg", "SET p50", "SET p99",
                        "GET req/s", "GET avg", "GET p50", "GET p99");
        for (Row row : rows) {
            if (row.failure() != null) {
                String[] cells = new String[app == AppsRun.App.http ? 8 : 9];
                java.util.Arrays.fill(cells, "-");
                cells[0] = row.server();
                cells[1] = "failed";
                table.row(cells);
            } else if (row.http() != null) {
                var r = row.http();
                table.row(row.server(), ConsoleTable.si(r.requestsPerSecond()), ms(r.averageMs()), ms(r.p50Ms()),
                        ms(r.p90Ms()), ms(r.p99Ms()), ms(r.maxMs()), Long.toString(r.errors()));
            } else {
                var set = row.resp().tests().get("SET");
                var get = row.resp().tests().get("GET");
                table.row(row.server(), ConsoleTable.si(set.requestsPerSecond()), ms(set.averageMs()), ms(set.p50Ms()),
                        ms(set.p99Ms()), ConsoleTable.si(get.requestsPerSecond()), ms(get.averageMs()), ms(get.p50Ms()),
                        ms(get.p99Ms()));
            }
        }
        return table;
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }
}
