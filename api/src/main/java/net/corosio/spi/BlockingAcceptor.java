package net.corosio.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Accepts connections with a blocking {@code accept()} on one virtual thread, for backends that do
 * not accept on an event loop. Closing the listener ends the loop; {@link #stop()} waits for that,
 * because while a thread is blocked in {@code accept()} the JDK defers the socket's real close
 * until the thread wakes, and until then new connects would still be accepted (and reset) instead
 * of refused. An unexpected accept failure (say, out of descriptors) is logged and retried after a
 * short pause, so it cannot spin.
 */
public final class BlockingAcceptor {

    /** What to do with each accepted socket. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Takes an accepted socket.
         *
         * @param channel the socket, in blocking mode; the handler owns it
         * @throws IOException if setting it up fails: the socket is then closed and the loop goes on
         */
        void accepted(SocketChannel channel) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(BlockingAcceptor.class.getName());
    private static final Duration BACKOFF = Duration.ofMillis(50);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private final Handler handler;
    private final Thread thread;

    private BlockingAcceptor(String name, ServerSocketChannel listener, Handler handler) throws IOException {
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
        this.handler = handler;
        this.thread = Thread.ofVirtual().name(name + "-" + localAddress.getPort()).unstarted(this::run);
    }

    /**
     * Starts accepting.
     *
     * @param name the thread's name prefix, e.g. {@code "corosio-loom-accept"}
     * @param listener the bound listener, in blocking mode
     * @param handler what to do with each socket
     * @return the running acceptor
     * @throws IOException if the listener's address cannot be read
     */
    public static BlockingAcceptor start(String name, ServerSocketChannel listener, Handler handler)
            throws IOException {
        BlockingAcceptor acceptor = new BlockingAcceptor(name, listener, handler);
        acceptor.thread.start();
        return acceptor;
    }

    private void run() {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "accept on " + localAddress + " failed; retrying in " + BACKOFF, e);
                try {
                    Thread.sleep(BACKOFF);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            try {
                handler.accepted(channel);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "dropping a connection to " + localAddress
                        + " that failed to set up: " + e);
                JdkSockets.closeQuietly(channel);
            }
        }
    }

    /** Closes the listener and waits (briefly) for the accept loop to end. Idempotent. */
    public void stop() {
        JdkSockets.closeQuietly(listener);
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            if (!thread.join(EXIT_WAIT)) {
                LOG.log(System.Logger.Level.WARNING, "the accept loop on " + localAddress
                        + " is still running " + EXIT_WAIT + " after its listener closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
