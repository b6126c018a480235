package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.TransportException;

/**
 * What the close, backpressure and timeout rules (SPEC.md sections 5 to 7) need over and over:
 * connected pairs whose oracle end has a small receive buffer, connections used from a thread the
 * test can interrupt, peers that stop reading or stop writing, and a way to wait until a pipeline
 * has stopped moving.
 */
final class Stalls {

    /** A write far larger than every buffer between the two ends, so it must block or fail. */
    static final int HUGE = 8 * 1024 * 1024;

    /** A small kernel buffer for the ends of a pair that must fill up quickly. */
    static final int SMALL_BUFFER = 16 * 1024;

    /** Timing slack above a timeout: generous, because the machine is shared. */
    static final Duration SLACK = Kit.scaled(Duration.ofSeconds(2));

    /** Clock slack below a timeout: a timer may fire a little early by the test's clock. */
    static final Duration EARLY = Duration.ofMillis(50);

    private Stalls() {}

    /** A backend connection and the oracle socket at its other end. */
    record Pair(Connection connection, Socket peer) {}

    /** A task on a forked thread that the test can interrupt. */
    record Blocking<T>(Future<T> result, Thread thread) {

        /**
         * Waits until the task's thread is parked (blocked in a call) or the task has finished.
         *
         * @param what the call, for the failure message
         */
        void awaitBlocked(String what) {
            Kit.eventually(what + " to block", () -> result.isDone()
                    || thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
        }
    }

    /**
     * How a call on a forked thread ended.
     *
     * @param kind the failure's kind, or {@code null} if the call returned
     * @param interrupted the thread's interrupt status right after the call
     * @param error the exception, or {@code null}
     */
    record Outcome(ErrorKind kind, boolean interrupted, TransportException error) {

        @Override
        public String toString() {
            return kind == null ? "returned normally (interrupted=" + interrupted + ")"
                    : "failed with " + error + " (interrupted=" + interrupted + ")";
        }
    }

    /** A call whose outcome {@link #outcome} records. */
    @FunctionalInterface
    interface Call {
        void run() throws TransportException;
    }

    /**
     * Runs a call and records how it ended and the thread's interrupt status after it.
     *
     * @param call the call
     * @return its outcome
     */
    static Outcome outcome(Call call) {
        try {
            call.run();
            return new Outcome(null, Thread.currentThread().isInterrupted(), null);
        } catch (TransportException e) {
            return new Outcome(e.kind(), Thread.currentThread().isInterrupted(), e);
        }
    }

    /**
     * Forks a task and returns it with its thread, so the test can interrupt it.
     *
     * @param kit the kit
     * @param name the thread's name
     * @param task the task
     * @param <T> its result
     * @return the task and its thread
     * @throws Exception if the thread does not start
     */
    static <T> Blocking<T> fork(Kit kit, String name, Callable<T> task) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        Future<T> result = kit.fork(name, () -> {
            thread.complete(Thread.currentThread());
            return task.call();
        });
        return new Blocking<>(result, Kit.await(thread));
    }

    /**
     * Asserts that a call fails with a {@link TransportException} of the given kind, saying what
     * the call returned instead if it did not fail (a read that returned -1 instead of failing, for
     * example).
     *
     * @param kind the expected kind
     * @param call the call
     * @param context what the call is, for the failure message
     * @return the exception
     * @throws Exception if the call fails in another way than with a {@link TransportException}
     */
    static TransportException expectFailure(ErrorKind kind, Callable<?> call, String context) throws Exception {
        Object value;
        try {
            value = call.call();
        } catch (TransportException e) {
            assertEquals(kind, e.kind(), () -> context + ": wrong kind; the exception was: " + e);
            return e;
        }
        return fail(context + ": expected a failure of kind " + kind + " but the call returned " + value);
    }

    /**
     * Describes how a task ended, without waiting for it.
     *
     * @param task the task
     * @return its result or failure, or that it is still running
     */
    static String describe(Future<?> task) {
        if (!task.isDone()) {
            return "still running";
        }
        try {
            return "result " + task.get();
        } catch (Exception e) {
            return String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
    }

    // ------------------------------------------------------------------ options

    /**
     * Returns connection options with small kernel buffers and small write water marks.
     *
     * @return a builder to add timeouts to
     */
    static ConnectionOptions.Builder smallBuffers() {
        return ConnectionOptions.builder()
                .writeWaterMarks(SMALL_BUFFER / 2, SMALL_BUFFER)
                .socket(SocketOptions.defaults()
                        .withReceiveBufferSize(SMALL_BUFFER)
                        .withSendBufferSize(SMALL_BUFFER));
    }

    /**
     * Wraps connection options into client options.
     *
     * @param connection the connection options
     * @return the client options
     */
    static ClientOptions client(ConnectionOptions connection) {
        return ClientOptions.builder().connection(connection).build();
    }

    // ------------------------------------------------------------------ pairs

    /**
     * Opens an oracle server socket whose accepted sockets have the given receive buffer (set
     * before listening, so the TCP window honours it); closed when the test ends.
     *
     * @param kit the kit
     * @param receiveBuffer {@code SO_RCVBUF}, or 0 for the default
     * @return the bound server socket
     * @throws IOException if it cannot bind
     */
    static ServerSocket oracleServer(Kit kit, int receiveBuffer) throws IOException {
        if (receiveBuffer == 0) {
            return kit.oracleServer();
        }
        ServerSocket server = kit.track(new ServerSocket());
        server.setReceiveBufferSize(receiveBuffer);
        server.bind(new InetSocketAddress(Kit.LOOPBACK, 0), 50);
        server.setSoTimeout((int) Kit.defaultWait().toMillis());
        return server;
    }

    /**
     * Connects the backend as a client to an oracle server socket.
     *
     * @param kit the kit
     * @param options the backend connection's options
     * @param peerReceiveBuffer the oracle end's {@code SO_RCVBUF}, or 0 for the default
     * @return the backend's connection and the oracle's accepted socket
     * @throws Exception if connecting fails
     */
    static Pair clientPair(Kit kit, ConnectionOptions options, int peerReceiveBuffer) throws Exception {
        ServerSocket server = oracleServer(kit, peerReceiveBuffer);
        Connection connection = kit.connect((InetSocketAddress) server.getLocalSocketAddress(), client(options));
        Socket peer = kit.accept(server);
        return new Pair(connection, peer);
    }

    /**
     * Starts a backend server, connects an oracle client, and returns the accepted connection,
     * whose handler holds it open (doing nothing) until the test ends. The test may then use the
     * server-side connection from its own threads.
     *
     * @param kit the kit
     * @param options the backend connection's options
     * @param peerReceiveBuffer the oracle end's {@code SO_RCVBUF}, or 0 for the default
     * @return the backend's accepted connection and the oracle's socket
     * @throws Exception if connecting fails
     */
    static Pair serverPair(Kit kit, ConnectionOptions options, int peerReceiveBuffer) throws Exception {
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        CountDownLatch testOver = new CountDownLatch(1);
        Server server = kit.serve(ServerOptions.builder().connection(options).build(), c -> {
            accepted.complete(c);
            testOver.await(Kit.defaultWait().toMillis() * 6, TimeUnit.MILLISECONDS);
        });
        // Closed before the server (resources close in reverse order), so its handler returns.
        kit.track((AutoCloseable) testOver::countDown);
        Socket peer = kit.oracleConnect(server.localAddress(), peerReceiveBuffer);
        return new Pair(Kit.await(accepted), peer);
    }

    // ------------------------------------------------------------------ peers

    /**
     * Returns how many bytes wait unread in a socket's receive buffer.
     *
     * @param socket the socket
     * @return the count
     */
    static long unread(Socket socket) {
        try {
            return socket.getInputStream().available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a progress counter has not moved for {@code quiet}, and returns its value. The
     * rules that use it are about a pipeline that stops moving, which no event announces: only
     * time passing with nothing happening shows it, so this polls with short sleeps.
     *
     * @param what the counter, for the failure message
     * @param progress the counter
     * @param quiet how long it must stand still
     * @return the counter's value once it stood still
     */
    static long awaitQuiet(String what, LongSupplier progress, Duration quiet) {
        long deadline = System.nanoTime() + Kit.defaultWait().multipliedBy(3).toNanos();
        long last = progress.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                fail(what + " kept moving for " + Kit.defaultWait().multipliedBy(3) + " (now " + last + ")");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what + " to stand still");
            }
            long now = progress.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    /**
     * Writes {@code data} through a non-blocking channel until nothing more can be written for
     * {@code quiet}: the amount a fast peer pushes before the other end's backpressure stops it.
     * The channel is left in blocking mode. Stopping after a quiet period is the one measure of
     * "it stopped" there is: the kernel does not announce that a window stays closed.
     *
     * @param channel a connected channel
     * @param data what to write, from position 0; the buffer's position ends after the bytes written
     * @param quiet how long no room may appear before the pipeline counts as stalled
     * @return the number of bytes written
     * @throws IOException if writing fails
     */
    static long pushUntilStalled(SocketChannel channel, ByteBuffer data, Duration quiet) throws IOException {
        long deadline = System.nanoTime() + Kit.defaultWait().multipliedBy(3).toNanos();
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (data.hasRemaining() && System.nanoTime() < deadline) {
                if (channel.write(data) > 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                if (selector.select(Math.max(1, quiet.toMillis())) == 0) {
                    break; // no room appeared for the whole quiet period
                }
            }
        }
        channel.configureBlocking(true);
        return data.position();
    }

    /**
     * Opens a JDK socket channel with a small send buffer and connects it; closed when the test
     * ends. A non-blocking channel lets the oracle push as hard as the kernel allows.
     *
     * @param kit the kit
     * @param address where to connect
     * @param sendBuffer {@code SO_SNDBUF}
     * @return the connected channel
     * @throws IOException if it cannot connect
     */
    static SocketChannel pushingChannel(Kit kit, InetSocketAddress address, int sendBuffer) throws IOException {
        SocketChannel channel = kit.track(SocketChannel.open());
        channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        return channel;
    }

    /**
     * Reads a little at a time until {@code go} opens, giving the writer time to get ahead of it,
     * then everything to the end; fails if the stream ends with a reset instead of end-of-stream.
     *
     * @param socket the oracle socket
     * @param go opened when the writer has finished writing and called close
     * @param expected how many bytes the writer sent, for the failure message
     * @return every byte read
     * @throws Exception if reading fails other than by a reset
     */
    static byte[] readHesitantlyToEnd(Socket socket, CountDownLatch go, int expected) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            // Take one chunk only each time the writer has not got to close() within 50 ms, so
            // that close() is called with bytes still in flight.
            while (!go.await(Kit.scaled(Duration.ofMillis(50)).toMillis(), TimeUnit.MILLISECONDS)) {
                int n = in.read(chunk);
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(chunk, 0, n);
            }
            in.transferTo(out);
        } catch (SocketException e) {
            fail("the peer saw " + e + " after " + out.size() + " of " + expected
                    + " bytes; close() must deliver every byte and then end-of-stream, not a reset");
        }
        return out.toByteArray();
    }
}
