package net.corosio.lab.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One {@code corosio apps} run: the same real client against one example on each backend in turn,
 * then against the native reference server, each in its own process, one at a time so they never
 * compete for the machine.
 */
public final class AppsRun {

    /** The applications an apps run can measure. */
    public enum App {
        /** The HTTP example under wrk; nginx is the reference. */
        http,
        /** The RESP example under redis-benchmark; redis-server is the reference. */
        resp
    }

    /**
     * How hard the client drives each server.
     *
     * @param durationSeconds http: how long wrk measures
     * @param warmupSeconds http: how long wrk runs first, unmeasured; resp: 0 for no warm-up run
     * @param connections client connections
     * @param threads http: wrk threads
     * @param requests resp: requests per test
     * @param pipeline resp: requests in flight per connection
     */
    public record Settings(int durationSeconds, int warmupSeconds, int connections, int threads, int requests,
            int pipeline) {}

    /**
     * One server's figures, or why it has none.
     *
     * @param server the backend's name or the reference server's
     * @param http the wrk figures (http)
     * @param resp the redis-benchmark figures (resp)
     * @param failure what went wrong, or {@code null}
     */
    public record Row(String server, WrkResult http, RedisBenchmarkResult resp, String failure) {}

    private static final List<String> EXAMPLE_JVM_ARGS = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final App app;
    private final Settings settings;
    private final Path workDir;
    private final Consumer<String> progress;

    /**
     * Prepares a run.
     *
     * @param app what to measure
     * @param settings how hard
     * @param workDir where logs and reference configurations go
     * @param progress where progress lines go
     */
    public AppsRun(App app, Settings settings, Path workDir, Consumer<String> progress) {
        this.app = app;
        this.settings = settings;
        this.workDir = workDir;
        this.progress = progress;
    }

    /**
     * Says what is missing to run, if anything.
     *
     * @return a message naming the client program and its package, or empty
     */
    public Optional<String> missingClient() {
        String client = client();
        return Programs.find(client).isPresent() ? Optional.empty()
                : Optional.of(client + " is not installed: apt-get install " + (app == App.http ? "wrk" : "redis-tools"));
    }

    /**
     * Describes the run, for the line above the table.
     *
     * @return the description
     */
    public String describe() {
        return app == App.http
                ? "http example: wrk -t" + settings.threads() + " -c" + settings.connections() + " -d"
                        + settings.durationSeconds() + "s --latency, GET / (14-byte body), after a " + settings.warmupSeconds()
                        + " s warm-up; each server in its own process, one at a time"
                : "resp example: redis-benchmark -c " + settings.connections() + " -n " + settings.requests() + " -P "
                        + settings.pipeline() + " -t set,get --csv" + (settings.warmupSeconds() > 0 ? ", after a warm-up run" : "")
                        + "; each server in its own process, one at a time";
    }

    /**
     * Measures the example on one backend.
     *
     * @param backend the backend's name
     * @return its row
     */
    public Row measureExample(String backend) {
        String main = app == App.http ? "net.corosio.examples.http.HttpServer" : "net.corosio.examples.resp.RespServer";
        progress.accept(backend + ": starting the " + app + " example");
        try (ServerUnderTest server = ServerUnderTest.example(main, backend, EXAMPLE_JVM_ARGS,
                workDir.resolve(app + "-" + backend + ".log"))) {
            return measure(server);
        } catch (IOException | RuntimeException e) {
            return new Row(backend, null, null, e.getMessage());
        }
    }

    /**
     * Measures the reference server, if installed.
     *
     * @return its row, or empty when it is not installed
     */
    public Optional<Row> measureReference() {
        String name = app == App.http ? "nginx" : "redis-server";
        Path dir = workDir.resolve(name + "-" + ProcessHandle.current().pid());
        Optional<ServerUnderTest> started;
        try {
            started = app == App.http ? ReferenceServers.nginx(dir) : ReferenceServers.redis(dir);
        } catch (IOException e) {
            return Optional.of(new Row(name, null, null, e.getMessage()));
        }
        if (started.isEmpty()) {
            progress.accept(name + " is not installed: no reference row (apt-get install "
                    + (app == App.http ? "nginx-light" : "redis-server") + ")");
            return Optional.empty();
        }
        progress.accept(name + ": started as the reference");
        try (ServerUnderTest server = started.get()) {
            return Optional.of(measure(server));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Row(name, null, null, e.getMessage()));
        }
    }

    private Row measure(ServerUnderTest server) throws IOException {
        String client = Programs.find(client()).orElseThrow().toString();
        if (app == App.http) {
            String url = "http://127.0.0.1:" + server.port() + "/";
            if (settings.warmupSeconds() > 0) {
                progress.accept(server.name() + ": warming up for " + settings.warmupSeconds() + " s");
                ClientRun.run(wrk(client, settings.warmupSeconds(), url), Duration.ofSeconds(settings.warmupSeconds() + 60));
            }
            progress.accept(server.name() + ": measuring for " + settings.durationSeconds() + " s");
            String output = ClientRun.run(wrk(client, settings.durationSeconds(), url),
                    Duration.ofSeconds(settings.durationSeconds() + 60));
            return new Row(server.name(), WrkResult.parse(output), null, null);
        }
        if (settings.warmupSeconds() > 0) {
            progress.accept(server.name() + ": warming up");
            ClientRun.run(redisBenchmark(client, server.port(), Math.max(1000, settings.requests() / 4)),
                    Duration.ofMinutes(5));
        }
        progress.accept(server.name() + ": measuring " + settings.requests() + " requests per test");
        String output = ClientRun.run(redisBenchmark(client, server.port(), settings.requests()), Duration.ofMinutes(10));
        RedisBenchmarkResult result = RedisBenchmarkResult.parse(output);
        if (!result.tests().containsKey("SET") || !result.tests().containsKey("GET")) {
            throw new IOException("redis-benchmark did not report SET and GET: " + output);
        }
        return new Row(server.name(), null, result, null);
    }

    private List<String> wrk(String wrk, int seconds, String url) {
        return List.of(wrk, "-t" + settings.threads(), "-c" + settings.connections(), "-d" + seconds + "s", "--latency",
                url);
    }

    private List<String> redisBenchmark(String benchmark, int port, int requests) {
        List<String> command = new ArrayList<>(List.of(benchmark, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-c", Integer.toString(settings.connections()), "-n", Integer.toString(requests),
                "-P", Integer.toString(settings.pipeline()), "-t", "set,get", "--csv"));
        return command;
    }

    private String client() {
        return app == App.http ? "wrk" : "redis-benchmark";
    }
}
