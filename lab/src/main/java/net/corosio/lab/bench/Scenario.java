package net.corosio.lab.bench;

import java.net.InetSocketAddress;
import java.util.Locale;
import net.corosio.lab.load.BulkLoad;
import net.corosio.lab.load.ChurnLoad;
import net.corosio.lab.load.EchoLoad;
import net.corosio.lab.load.FanoutLoad;
import net.corosio.lab.load.IdleLoad;
import net.corosio.lab.load.Load;
import net.corosio.lab.server.ServerApp;
import javax.net.ssl.SSLContext;

/** The lab's scenarios, after Corosio's own suite: what the server runs and what the load does. */
public enum Scenario {

    /** One connection, one 64-byte message at a time: round-trip latency. */
    PINGPONG(ServerApp.ECHO, "msg/s", "one connection, 64-byte round trips: latency") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new EchoLoad(target, 1, 1, o.or(o.messageSize(), 64), o.rate(), tls);
        }
    },

    /** Many connections, several messages in flight each: throughput and latency under load. */
    ECHO(ServerApp.ECHO, "msg/s", "N connections x M in flight: messages/s and latency") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new EchoLoad(target, o.or(o.connections(), 64), o.or(o.inFlight(), 4), o.or(o.messageSize(), 64),
                    o.rate(), tls);
        }
    },

    /** One-way streaming into a sink. */
    BULK(ServerApp.SINK, "Gbit/s", "one-way streaming into the server: Gbit/s") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new BulkLoad(target, o.or(o.connections(), 1), o.or(o.messageSize(), 64 * 1024), false, tls);
        }
    },

    /** Two-way streaming through an echo server. */
    BULK_DUPLEX(ServerApp.ECHO, "Gbit/s", "two-way streaming through the server: Gbit/s echoed") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new BulkLoad(target, o.or(o.connections(), 1), o.or(o.messageSize(), 64 * 1024), true, tls);
        }
    },

    /** Connect, one exchange, close, over and over. */
    CHURN(ServerApp.ECHO, "conn/s", "connect, one 64-byte exchange, close: connections/s") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new ChurnLoad(target, o.or(o.concurrency(), 16), o.or(o.messageSize(), 64), tls);
        }
    },

    /** One publisher, many subscribers. */
    FANOUT(ServerApp.FANOUT, "deliveries/s", "one publisher to N subscribers: deliveries/s and latency") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new FanoutLoad(target, o.or(o.subscribers(), 32), Math.max(16, o.or(o.messageSize(), 64)), 16, tls);
        }
    },

    /** Idle open connections: the server's memory per connection. */
    IDLE(ServerApp.ECHO, "conns", "N idle open connections: heap and RSS per connection") {
        @Override
        Load load(InetSocketAddress target, BenchOptions o, SSLContext tls) {
            return new IdleLoad(target, o.or(o.idleConnections(), 2000), tls);
        }
    };

    private final ServerApp app;
    private final String unit;
    private final String description;

    Scenario(ServerApp app, String unit, String description) {
        this.app = app;
        this.unit = unit;
        this.description = description;
    }

    abstract Load load(InetSocketAddress target, BenchOptions options, SSLContext tls);

    /**
     * Returns what the server runs.
     *
     * @return the app
     */
    public ServerApp app() {
        return app;
    }

    /**
     * Returns the throughput unit.
     *
     * @return the unit
     */
    public String unit() {
        return unit;
    }

    /**
     * Returns a one-line description.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Returns the scenario's command-line name.
     *
     * @return e.g. {@code bulk-duplex}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a command-line name.
     *
     * @param label e.g. {@code pingpong}
     * @return the scenario
     * @throws IllegalArgumentException naming the choices
     */
    public static Scenario parse(String label) {
        for (Scenario scenario : values()) {
            if (scenario.label().equals(label)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "'; choose one of "
                + java.util.Arrays.stream(values()).map(Scenario::label).toList());
    }
}
