package net.corosio.examples.chat;

import java.time.Duration;

/**
 * The chat room's bounds. Together they cap the memory the room can use per member, however many
 * messages are sent and however slowly members read: at most {@code queueMessages} lines of at
 * most {@code maxLine} bytes wait for any one member.
 *
 * @param maxLine the longest line a member may send, in bytes; a longer one disconnects the sender
 * @param queueMessages the most lines waiting for one member; a member that falls further behind
 *     is disconnected with a reason (the slow-consumer policy)
 * @param writeTimeout how long a write to a member may make no progress before that member's
 *     connection is aborted (so a member that never reads cannot even hold its farewell)
 */
public record ChatLimits(int maxLine, int queueMessages, Duration writeTimeout) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public ChatLimits {
        if (maxLine < 16 || queueMessages < 1 || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("limits out of range: line " + maxLine + ", queue " + queueMessages
                    + ", write timeout " + writeTimeout);
        }
    }

    /**
     * Returns the defaults: 1 KiB lines, 256 lines queued per member, a 10-second write timeout.
     *
     * @return the defaults
     */
    public static ChatLimits defaults() {
        return new ChatLimits(1024, 256, Duration.ofSeconds(10));
    }
}
