package net.corosio.tck.faults;

import java.time.Duration;

/**
 * One fault a proxy applies to the bytes flowing one way, named and parameterised as in
 * Toxiproxy, so that a scenario written for one {@link FaultInjector} means the same on another.
 * Toxics are values; adding one to a {@link FaultProxy} applies it to the connections already open
 * and to every later one, in the order toxics were added.
 */
public sealed interface Toxic {

    /**
     * Returns Toxiproxy's name for this kind of toxic ({@code "latency"}, {@code "limit_data"}, ...).
     *
     * @return the type name
     */
    String type();

    /**
     * Delays every chunk of data by {@code latency}, give or take a uniformly random {@code jitter};
     * chunks stay in order and keep flowing while earlier ones wait (the delay is not a throughput
     * limit).
     *
     * @param latency the mean added delay
     * @param jitter the most a chunk's delay departs from the mean, either way
     */
    record Latency(Duration latency, Duration jitter) implements Toxic {
        /** Checks the values. */
        public Latency {
            requireNonNegative("latency", latency);
            requireNonNegative("jitter", jitter);
        }

        @Override
        public String type() {
            return "latency";
        }
    }

    /**
     * Limits the rate at which bytes are forwarded.
     *
     * @param bytesPerSecond the rate, at least 1
     */
    record Bandwidth(long bytesPerSecond) implements Toxic {
        /** Checks the value. */
        public Bandwidth {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("bytesPerSecond < 1: " + bytesPerSecond);
            }
        }

        @Override
        public String type() {
            return "bandwidth";
        }
    }

    /**
     * Cuts the data into small segments, each sent on its own (the proxy's sockets have Nagle off),
     * with a pause between them: the adversarial segmentation of a real network path.
     *
     * @param averageSize the mean segment size in bytes, at least 1
     * @param sizeVariation how far a segment's size may depart from the mean, below {@code averageSize}
     * @param delay the pause between segments
     */
    record Slicer(int averageSize, int sizeVariation, Duration delay) implements Toxic {
        /** Checks the values. */
        public Slicer {
            if (averageSize < 1) {
                throw new IllegalArgumentException("averageSize < 1: " + averageSize);
            }
            if (sizeVariation < 0 || sizeVariation >= averageSize) {
                throw new IllegalArgumentException("sizeVariation must be in [0, averageSize): " + sizeVariation);
            }
            requireNonNegative("delay", delay);
        }

        @Override
        public String type() {
            return "slicer";
        }
    }

    /**
     * Forwards exactly {@code bytes} more bytes, then ends the connection: the receiving side gets
     * those bytes and then end-of-stream (a FIN), the sending side a reset — what a sender sees when
     * the other end closes a socket holding data it never read.
     *
     * @param bytes how many bytes get through, counted from when the toxic meets the connection
     */
    record LimitData(long bytes) implements Toxic {
        /** Checks the value. */
        public LimitData {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes < 0: " + bytes);
            }
        }

        @Override
        public String type() {
            return "limit_data";
        }
    }

    /**
     * Resets both sides of the connection (TCP RST, no FIN) once {@code afterBytes} more bytes have
     * been forwarded, or once {@code after} has passed since the toxic met the connection —
     * whichever the toxic was given.
     *
     * @param afterBytes bytes forwarded before the reset, or -1 to reset on time
     * @param after time before the reset when {@code afterBytes} is -1, else {@link Duration#ZERO}
     */
    record ResetPeer(long afterBytes, Duration after) implements Toxic {
        /** Checks the values. */
        public ResetPeer {
            requireNonNegative("after", after);
            if (afterBytes < -1) {
                throw new IllegalArgumentException("afterBytes must be -1 (on time) or >= 0: " + afterBytes);
            }
            if (afterBytes >= 0 && !after.isZero()) {
                throw new IllegalArgumentException("reset after " + afterBytes + " bytes or after " + after + ", not both");
            }
        }

        /**
         * Resets after so many bytes.
         *
         * @param bytes bytes forwarded first
         * @return the toxic
         */
        public static ResetPeer afterBytes(long bytes) {
            return new ResetPeer(bytes, Duration.ZERO);
        }

        /**
         * Resets after so long.
         *
         * @param time the delay
         * @return the toxic
         */
        public static ResetPeer after(Duration time) {
            return new ResetPeer(-1, time);
        }

        @Override
        public String type() {
            return "reset_peer";
        }
    }

    /**
     * A black hole: stops forwarding data (it is read and dropped, so the sender's writes still
     * complete) and holds the connection open; after {@code timeout}, if not zero, closes both
     * sides. A close or reset by either end still passes through, as in Toxiproxy.
     *
     * @param timeout how long until the proxy closes the connection, or {@link Duration#ZERO} to
     *     hold it until the toxic is removed
     */
    record Timeout(Duration timeout) implements Toxic {
        /** Checks the value. */
        public Timeout {
            requireNonNegative("timeout", timeout);
        }

        @Override
        public String type() {
            return "timeout";
        }
    }

    /**
     * Delays the end-of-stream (the FIN) by {@code delay}; data is not delayed.
     *
     * @param delay how long the close waits
     */
    record SlowClose(Duration delay) implements Toxic {
        /** Checks the value. */
        public SlowClose {
            requireNonNegative("delay", delay);
        }

        @Override
        public String type() {
            return "slow_close";
        }
    }

    private static void requireNonNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive: " + value);
        }
    }
}
