package net.corosio;

/**
 * A snapshot of what a transport holds open. Thread-safe and cheap to read.
 *
 * @param openConnections connections open now, client and server side together
 * @param openServers servers that have not been shut down
 */
public record TransportMetrics(long openConnections, long openServers) {}
