package net.corosio.lab.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every knob of a benchmark run; a run records all of them in its JSON, so a result can be
 * reproduced from its file. A value of 0 (or {@code null}) for a scenario-sized knob means "the
 * scenario's default".
 *
 * @param warmup traffic before measuring starts
 * @param duration the measurement window
 * @param connections connections (echo) or streams (bulk)
 * @param inFlight messages outstanding per connection (echo, closed loop)
 * @param messageSize bytes per message
 * @param rate messages per second for an open loop (echo, pingpong), or 0 for a closed loop
 * @param concurrency connect/exchange/close cycles in progress at once (churn)
 * @param subscribers subscribers (fanout)
 * @param idleConnections connections held open (idle)
 * @param tls whether the server speaks TLS
 * @param executor the handler executor of backends named without one ({@link Subject}): {@code
 *     virtual}, {@code loop} (virtual threads carried by the backend's event loops) or {@code
 *     platform:N}
 * @param ioThreads the server's I/O threads, 0 for its default
 * @param inboundLimit the server connections' inbound limit in bytes, 0 for the API's default
 * @param properties backend properties, e.g. {@code netty.io=epoll}
 * @param carrierParallelism virtual-thread carrier threads in the server JVM, 0 for the JDK's default
 * @param jvmArgs extra JVM arguments for the server
 * @param fork whether the server runs in its own JVM
 * @param rounds how many times a campaign runs its whole plan (the tables show each figure's
 *     median, and the spread between rounds)
 * @param jfr whether each forked server records a JDK Flight Recorder file (the transport's {@code
 *     corosio.*} events among the JDK's), left in the work directory beside its log
 */
public record BenchOptions(
        Duration warmup,
        Duration duration,
        int connections,
        int inFlight,
        int messageSize,
        long rate,
        int concurrency,
        int subscribers,
        int idleConnections,
        boolean tls,
        String executor,
        int ioThreads,
        int inboundLimit,
        Map<String, String> properties,
        int carrierParallelism,
        List<String> jvmArgs,
        boolean fork,
        int rounds,
        boolean jfr) {

    /** Copies the collections and checks the values. */
    public BenchOptions {
        properties = Map.copyOf(properties);
        jvmArgs = List.copyOf(jvmArgs);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup < 0: " + warmup);
        }
        checkExecutor(executor);
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
        }
        if (inboundLimit < 0) {
            throw new IllegalArgumentException("inboundLimit < 0: " + inboundLimit);
        }
    }

    /**
     * The defaults of a short run: 1 s of warm-up, 3 s measured, virtual threads, everything else
     * the scenario's default.
     *
     * @return the defaults
     */
    public static BenchOptions defaults() {
        return new BenchOptions(Duration.ofSeconds(1), Duration.ofSeconds(3), 0, 0, 0, 0, 0, 0, 0, false,
                "virtual", 0, 0, Map.of(), 0, List.of(), true, 1, false);
    }

    /**
     * Returns a copy with other durations.
     *
     * @param warmup the warm-up
     * @param duration the measurement window
     * @return the copy
     */
    public BenchOptions withDurations(Duration warmup, Duration duration) {
        return new BenchOptions(warmup, duration, connections, inFlight, messageSize, rate, concurrency, subscribers,
                idleConnections, tls, executor, ioThreads, inboundLimit, properties, carrierParallelism, jvmArgs, fork, rounds,
                jfr);
    }

    int or(int value, int fallback) {
        return value > 0 ? value : fallback;
    }

    /**
     * Checks a handler executor's name.
     *
     * @param executor {@code virtual}, {@code loop} or {@code platform:N}
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    static void checkExecutor(String executor) {
        if (!executor.equals("virtual") && !executor.equals("loop") && !executor.matches("platform:[1-9][0-9]*")) {
            throw new IllegalArgumentException("executor must be virtual, loop or platform:N (N >= 1), not '"
                    + executor + "'");
        }
    }
}
