package net.corosio.lab.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.corosio.lab.bench.BenchOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The benchmark knobs shared by {@code bench} and {@code compare}. */
public final class BenchOptionsMixin {

    @Option(names = "--warmup", defaultValue = "1s",
            description = "Warm-up before measuring: 500ms, 5s, 2m, 1h or ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "3s",
            description = "Measurement window: 500ms, 5s, 2m, 1h or ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--connections", defaultValue = "0", split = ",",
            description = "Connections (echo) or streams (bulk); 0 = scenario default. A list (1,16,64) sweeps.")
    List<Integer> connections;

    @Option(names = "--in-flight", defaultValue = "0", description = "Messages outstanding per connection (echo); 0 = default.")
    int inFlight;

    @Option(names = "--message-size", defaultValue = "0", description = "Bytes per message (bulk: per write); 0 = default.")
    int messageSize;

    @Option(names = "--rate", defaultValue = "0", split = ",",
            description = "Open loop at this many messages/s (latency from the intended send time); 0 = closed loop. A list sweeps.")
    List<Long> rate;

    @Option(names = "--concurrency", defaultValue = "0", description = "Churn cycles in flight; 0 = default.")
    int concurrency;

    @Option(names = "--subscribers", defaultValue = "0", description = "Fanout subscribers; 0 = default.")
    int subscribers;

    @Option(names = "--idle-connections", defaultValue = "0", description = "Idle connections held open; 0 = default (2000).")
    int idleConnections;

    @Option(names = "--tls", description = "Serve TLS.")
    boolean tls;

    @Option(names = "--executor", defaultValue = "virtual", split = ",",
            description = "Handler executor of backends named without @executor: virtual, loop (carried by the"
                    + " backend's event loops), or platform:N. A list sweeps.")
    List<String> executor;

    @Option(names = "--io-threads", defaultValue = "0", split = ",",
            description = "Server I/O threads; 0 = the backend's default. A list sweeps.")
    List<Integer> ioThreads;

    @Option(names = "--inbound-limit", defaultValue = "0",
            description = "Bytes a server connection may queue unread before the backend stops reading; 0 = the API's default.")
    int inboundLimit;

    @Option(names = "--prop", description = "A backend property, key=value (e.g. netty.io=epoll).")
    Map<String, String> properties = Map.of();

    @Option(names = "--carriers", defaultValue = "0", split = ",",
            description = "Virtual-thread carrier parallelism in the server JVM; 0 = JDK default. A list sweeps.")
    List<Integer> carriers;

    @Option(names = "--jvm-args", split = " ", description = "Extra JVM arguments for the forked server.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the server in its own JVM (default; --no-fork runs it in the lab's JVM).")
    boolean fork;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Run the whole plan this many times, rounds interleaved; tables show medians and the spread (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--jfr", description = "Each forked server records a JDK Flight Recorder file (the transport's "
            + "corosio.* events among the JDK's) in the work directory, beside its log; `jfr summary FILE` lists them.")
    boolean jfr;

    /**
     * Collects the knobs of one run: each listed knob at its first value.
     *
     * @param command the command they were given to, for a usage error
     * @return the options
     * @throws CommandLine.ParameterException if they do not go together (a zero duration, say); a
     *     usage error that names the value
     */
    BenchOptions toOptions(CommandLine command) {
        try {
            return new BenchOptions(warmup, duration, connections.getFirst(), inFlight, messageSize, rate.getFirst(),
                    concurrency, subscribers, idleConnections, tls, executor.getFirst(), ioThreads.getFirst(),
                    inboundLimit, properties, carriers.getFirst(), jvmArgs, fork, rounds, jfr);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage(), e);
        }
    }

    /**
     * The knobs given more than one value, in a fixed order, for a {@link net.corosio.lab.bench.Sweep}.
     *
     * @return each swept knob's values; empty when nothing is swept
     */
    Map<String, List<?>> axes() {
        Map<String, List<?>> axes = new LinkedHashMap<>();
        put(axes, "connections", connections);
        put(axes, "rate", rate);
        put(axes, "executor", executor);
        put(axes, "carriers", carriers);
        put(axes, "ioThreads", ioThreads);
        return axes;
    }

    private static void put(Map<String, List<?>> axes, String knob, List<?> values) {
        if (values.size() > 1) {
            axes.put(knob, List.copyOf(values));
        }
    }
}
