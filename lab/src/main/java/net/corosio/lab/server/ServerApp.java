package net.corosio.lab.server;

/**
 * What the server under test does with each connection. Every implementation (each backend
 * through the API, and the native Netty and Jetty baselines) implements the same apps, so one load
 * generator drives them all identically.
 */
public enum ServerApp {
    /** Writes back every byte it reads: pingpong, echo, two-way bulk, churn and idle. */
    ECHO,
    /** Reads and discards: one-way bulk. */
    SINK,
    /**
     * One publisher, many subscribers: a connection whose first byte is {@code 'P'} publishes
     * fixed-size messages, each written to every connection whose first byte was {@code 'S'}
     * (which the server acknowledges with one byte, {@code 'A'}, once it is registered).
     */
    FANOUT
}
