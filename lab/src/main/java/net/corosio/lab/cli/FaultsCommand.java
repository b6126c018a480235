package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import net.corosio.lab.faults.FaultCell;
import net.corosio.lab.faults.FaultMatrix;
import net.corosio.lab.faults.FaultTables;
import net.corosio.lab.faults.FaultsFile;
import net.corosio.lab.faults.Variant;
import net.corosio.lab.overload.OverloadOptions;
import net.corosio.lab.overload.OverloadResult;
import net.corosio.lab.overload.OverloadRun;
import net.corosio.lab.overload.OverloadTables;
import net.corosio.lab.report.Environment;
import net.corosio.tck.Kit;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultRun;
import net.corosio.tck.faults.FaultScenario;
import net.corosio.tck.faults.LocalFaultInjector;
import net.corosio.tck.faults.PathFault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corosio faults}: every fault on the path × every backend variant, plain and TLS, the
 * backend as client and as server, the fault (and a checksummed stream) each way; each cell judged
 * against SPEC.md group 11 and against the other variants.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Put each fault (Toxiproxy's: latency, bandwidth, slicer, limit_data, reset_peer, timeout, "
                + "slow_close, down) on the path of a checksummed stream, on every backend as client and as server, "
                + "plain and TLS; print the outcome matrix and write the JSON file. Exit 1 if any cell departs from "
                + "SPEC.md group 11 or from the other backends, or loses a byte.")
public final class FaultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backends", split = ",", description = "Comma-separated; default: every backend found.")
    List<String> backends;

    @Option(names = "--netty-io", split = ",", defaultValue = "nio,epoll,io_uring",
            description = "The netty backend's I/O modes, one variant each (default ${DEFAULT-VALUE}); 'default' for its own choice only.")
    List<String> nettyModes;

    @Option(names = "--executors", split = ",", defaultValue = "virtual,loop",
            description = "Handler executors, one variant each where the backend supports it: virtual, loop,"
                    + " platform:N (default ${DEFAULT-VALUE}).")
    List<String> executors;

    @Option(names = "--faults", split = ",", description = "Comma-separated fault names; default: all.")
    List<String> faults;

    @Option(names = "--directions", split = ",", defaultValue = "upstream,downstream", description = "Default ${DEFAULT-VALUE}.")
    List<String> directions;

    @Option(names = "--roles", split = ",", defaultValue = "client,server",
            description = "The backend's end of the connection (default ${DEFAULT-VALUE}).")
    List<String> roles;

    @Option(names = "--tls", defaultValue = "both", description = "plain, tls or both (default ${DEFAULT-VALUE}).")
    String tls;

    @Option(names = "--prop", description = "A backend property for every variant, key=value.")
    Map<String, String> properties = Map.of();

    @Option(names = "--seed", description = "Seeds the streams' write sizes (default: the kit's seed, printed).")
    Long seed;

    @Option(names = "--json", defaultValue = "target/corosio-faults.json", description = "The results file (default ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--matrix", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the fault matrix (default; --no-matrix with --overload runs only the overload scenarios).")
    boolean matrix;

    @Option(names = "--overload", description = "Also run the overload scenarios on each backend (a server JVM each): "
            + "accept storm, idle connections, slow consumers, TLS handshake flood.")
    boolean overload;

    @Option(names = "--overload-scenarios", split = ",", description = "Which overload scenarios; default all: "
            + "accept-storm, idle-connections, slow-consumers, handshake-flood.")
    List<String> overloadScenarios;

    @Option(names = "--storm-connects", defaultValue = "10000", description = "Connects in the accept storm (default ${DEFAULT-VALUE}).")
    int stormConnects;

    @Option(names = "--idle-connections", defaultValue = "20000", description = "Idle connections held (default ${DEFAULT-VALUE}).")
    int idleConnections;

    @Option(names = "--slow-consumers", defaultValue = "1000", description = "Slow consumers (default ${DEFAULT-VALUE}).")
    int slowConsumers;

    @Option(names = "--slow-consumer-bytes", defaultValue = "1048576",
            description = "What each slow consumer writes and must get back (default ${DEFAULT-VALUE}: more than the buffers between them).")
    long slowConsumerBytes;

    @Option(names = "--flood-clients", defaultValue = "1000", description = "Silent TLS clients in the flood (default ${DEFAULT-VALUE}).")
    int floodClients;

    @Option(names = "--handshake-timeout", defaultValue = "PT2S", description = "The flooded server's TLS handshake timeout (default ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--work-dir", defaultValue = "target/corosio-lab", description = "Where server logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long runSeed = seed != null ? seed : Kit.seed();
        List<Variant> variants = Variant.expand(Implementations.resolve(backends, false),
                nettyModes.equals(List.of("default")) ? List.of() : nettyModes, executors, properties);
        FaultMatrix matrix = new FaultMatrix(variants, FaultMatrix.scenarios(faultList(), directionList(), roleList(),
                tlsList()), runSeed);
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        err.printf("%d variants x %d scenarios, seed %d%n", variants.size(), matrix.scenarios().size(), runSeed);
        err.flush();
        List<FaultCell> cells = List.of();
        if (this.matrix) {
            try (LocalFaultInjector injector = new LocalFaultInjector()) {
                cells = matrix.run(injector, line -> {
                    err.println(line);
                    err.flush();
                });
            }
        }
        List<OverloadResult> overloads = List.of();
        if (overload) {
            OverloadOptions sizes = new OverloadOptions(stormConnects, idleConnections, slowConsumers, slowConsumerBytes, 64 * 1024,
                    floodClients, handshakeTimeout, 8);
            overloads = new OverloadRun(sizes, workDir, line -> {
                err.println(line);
                err.flush();
            }).run(variants.stream().map(Variant::backend).distinct().toList(),
                    overloadScenarios == null ? OverloadRun.SCENARIOS : overloadScenarios);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long ran = cells.stream().filter(FaultCell::ran).count();
        long departing = cells.stream().filter(c -> !c.departures().isEmpty()).count();
        long lost = cells.stream().mapToLong(c -> c.lost() + c.duplicated() + c.corrupted()).sum();

        if (!cells.isEmpty()) {
            out.println("Faults on the path: what each backend saw (SPEC.md group 11; '!' departs from the spec or the other backends):");
            out.print(FaultTables.matrix(cells));
            out.println();
            out.println("Time to detect, from the fault's first effect to the backend's outcome:");
            out.print(FaultTables.detection(cells));
            String departures = FaultTables.departures(cells);
            if (!departures.isEmpty()) {
                out.println();
                out.println("Departing cells:");
                out.print(departures);
            }
            out.println();
        }
        long overloadFailed = overloads.stream().filter(r -> r.status().equals("failed")).count();
        long overloadEnvironment = overloads.stream().filter(r -> r.status().equals("environment")).count();
        if (!overloads.isEmpty()) {
            out.println("Overload (server JVM figures; 'after' shows the value before the scenario in brackets):");
            out.print(OverloadTables.table(overloads));
            out.println();
        }
        out.printf(Locale.ROOT, "%d cells ran (%d skipped), %d departing, %d bytes lost, duplicated or corrupted;"
                + " %d overload runs, %d failed, %d could not run here; in %.0f s%n",
                ran, cells.size() - ran, departing, lost, overloads.size(), overloadFailed, overloadEnvironment, seconds);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cells", cells.size());
        summary.put("ran", ran);
        summary.put("departing", departing);
        summary.put("bytesLostDuplicatedOrCorrupted", lost);
        summary.put("overloadRuns", overloads.size());
        summary.put("overloadFailed", overloadFailed);
        summary.put("overloadEnvironment", overloadEnvironment);
        summary.put("seconds", seconds);
        new FaultsFile(FaultsFile.SCHEMA, "faults", started, Environment.current(), options(variants, runSeed), summary,
                cells, overloads).write(json);
        out.println("wrote " + json.toAbsolutePath());
        out.flush();
        if (departing > 0 || lost > 0 || overloadFailed > 0) {
            return Corosio.FAILED;
        }
        // Nothing ran, or an overload scenario this machine cannot hold (its reason names the limit).
        return ran == 0 && overloads.isEmpty() || overloadEnvironment > 0 ? Corosio.ENVIRONMENT : Corosio.OK;
    }

    private Map<String, Object> options(List<Variant> variants, long runSeed) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("variants", variants.stream().map(Variant::label).toList());
        options.put("faults", faultList().stream().map(f -> Map.of("name", f.label(), "parameters", f.parameters())).toList());
        options.put("directions", directions);
        options.put("roles", roles);
        options.put("tls", tls);
        options.put("properties", properties);
        options.put("injector", "built-in");
        options.put("seed", runSeed);
        options.put("streamBytes", FaultRun.STREAM_BYTES);
        options.put("blackHoleReadTimeout", FaultRun.BLACK_HOLE_READ_TIMEOUT);
        options.put("cellDeadline", FaultRun.DEADLINE);
        if (overload) {
            options.put("overload", Map.of("scenarios", overloadScenarios == null ? OverloadRun.SCENARIOS : overloadScenarios,
                    "stormConnects", stormConnects, "idleConnections", idleConnections, "slowConsumers", slowConsumers,
                    "slowConsumerBytes", slowConsumerBytes, "inboundLimit", 64 * 1024, "floodClients", floodClients,
                    "handshakeTimeout", handshakeTimeout, "sourceAddresses", 8));
        }
        return options;
    }

    private List<PathFault> faultList() {
        return faults == null ? List.of(PathFault.values()) : faults.stream().map(PathFault::of).toList();
    }

    private List<Direction> directionList() {
        return directions.stream().map(d -> Direction.valueOf(d.toUpperCase(Locale.ROOT))).toList();
    }

    private List<FaultScenario.Role> roleList() {
        return roles.stream().map(r -> FaultScenario.Role.valueOf(r.toUpperCase(Locale.ROOT))).toList();
    }

    private List<Boolean> tlsList() {
        return switch (tls) {
            case "plain" -> List.of(false);
            case "tls" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--tls must be plain, tls or both, not " + tls);
        };
    }
}
