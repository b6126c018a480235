package net.corosio.lab.overload;

import java.time.Duration;

/**
 * The sizes of the overload scenarios.
 *
 * @param stormConnects connects in the accept storm's burst
 * @param idleConnections connections held idle
 * @param slowConsumers slow consumers
 * @param slowConsumerBytes what each slow consumer writes (and must get back)
 * @param inboundLimit the server connections' inbound limit in the slow-consumer scenario
 * @param floodClients clients in the TLS handshake flood
 * @param handshakeTimeout the server's TLS handshake timeout in the flood
 * @param sources loopback source addresses the clients spread over (127.0.0.2 and up)
 */
public record OverloadOptions(
        int stormConnects, int idleConnections, int slowConsumers, long slowConsumerBytes, int inboundLimit,
        int floodClients, Duration handshakeTimeout, int sources) {

    /** Checks the values. */
    public OverloadOptions {
        if (stormConnects < 1 || idleConnections < 1 || slowConsumers < 1 || floodClients < 1) {
            throw new IllegalArgumentException("every count must be at least 1: " + this);
        }
        if (sources < 1 || sources > 250) {
            throw new IllegalArgumentException("sources must be in [1, 250]: " + sources);
        }
    }

    /**
     * The sizes: 10,000 connects, 20,000 idle connections, 1,000 slow consumers of 1 MiB
     * each behind a 64 KiB inbound limit, 1,000 silent TLS clients against a 2 s handshake timeout,
     * 8 source addresses.
     *
     * @return the defaults
     */
    public static OverloadOptions defaults() {
        return new OverloadOptions(10_000, 20_000, 1_000, 1 << 20, 64 * 1024, 1_000, Duration.ofSeconds(2), 8);
    }
}
