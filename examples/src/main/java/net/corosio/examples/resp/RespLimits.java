package net.corosio.examples.resp;

import java.time.Duration;

/**
 * What the RESP server accepts from one client and holds in total. Input beyond a limit is a
 * protocol error in Redis's words, after which the connection is closed — as Redis does — so a
 * client can never make the server buffer more than these bounds.
 *
 * @param maxBulk the longest bulk string (a key or a value); longer is {@code invalid bulk length}
 * @param maxArgs the most arguments in one command; more is {@code invalid multibulk length} (or,
 *     inline, {@code too many arguments in inline request})
 * @param maxCommandBytes the most bytes one command's arguments may declare in total
 * @param maxInline the longest inline command line; longer is {@code too big inline request}
 * @param maxMemory the most bytes the store may hold (keys, values and bookkeeping, estimated);
 *     a write beyond it is refused with Redis's {@code -OOM} error
 * @param idleTimeout how long a client may send nothing before it is disconnected; zero for never
 *     (Redis's {@code timeout 0})
 */
public record RespLimits(
        int maxBulk, int maxArgs, long maxCommandBytes, int maxInline, long maxMemory, Duration idleTimeout) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public RespLimits {
        if (maxBulk < 1 || maxArgs < 1 || maxCommandBytes < 1 || maxInline < 16 || maxMemory < 1
                || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("limits out of range: bulk " + maxBulk + ", args " + maxArgs
                    + ", command " + maxCommandBytes + ", inline " + maxInline + ", memory " + maxMemory
                    + ", idle " + idleTimeout);
        }
    }

    /**
     * Returns the defaults: 8 MiB bulk strings, 1M arguments and 16 MiB per command, 64 KiB inline
     * lines, a 256 MiB store, no idle timeout.
     *
     * @return the defaults
     */
    public static RespLimits defaults() {
        return new RespLimits(8 * 1024 * 1024, 1024 * 1024, 16L * 1024 * 1024, 64 * 1024, 256L * 1024 * 1024,
                Duration.ZERO);
    }

    /**
     * Returns a copy with other protocol limits.
     *
     * @param bulk the longest bulk string
     * @param args the most arguments per command
     * @param commandBytes the most bytes per command
     * @return the new limits
     */
    public RespLimits withProtocolLimits(int bulk, int args, long commandBytes) {
        return new RespLimits(bulk, args, commandBytes, maxInline, maxMemory, idleTimeout);
    }

    /**
     * Returns a copy with another memory limit.
     *
     * @param bytes the most bytes the store may hold
     * @return the new limits
     */
    public RespLimits withMaxMemory(long bytes) {
        return new RespLimits(maxBulk, maxArgs, maxCommandBytes, maxInline, bytes, idleTimeout);
    }

    /**
     * Returns a copy with another idle timeout.
     *
     * @param timeout the idle timeout, zero for none
     * @return the new limits
     */
    public RespLimits withIdleTimeout(Duration timeout) {
        return new RespLimits(maxBulk, maxArgs, maxCommandBytes, maxInline, maxMemory, timeout);
    }
}
