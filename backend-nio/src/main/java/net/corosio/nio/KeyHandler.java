package net.corosio.nio;

/**
 * What a {@link java.nio.channels.SelectionKey}'s attachment does with readiness: the one
 * interface between a {@link SelectorLoop} and the channels registered with it. Every method runs
 * on the loop's thread and must not block.
 */
interface KeyHandler {

    /**
     * The channel is ready for the operations in {@code readyOps}.
     *
     * @param readyOps the key's ready set
     */
    void ready(int readyOps);

    /**
     * The loop is stopping (its transport is closing): release the channel now. Called once for
     * every key still registered, after the loop's last tasks have run.
     */
    void loopClosed();
}
