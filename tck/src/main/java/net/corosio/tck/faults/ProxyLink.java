package net.corosio.tck.faults;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One proxied connection: the client's socket, the upstream socket, and a {@link ToxicPipe} each
 * way. It decides how the pair ends — gracefully once both directions have passed their
 * end-of-stream, by a reset on both sides, or cut by a limit (end-of-stream to the receiver, a
 * reset to the sender) — and makes sure it ends only once. Thread-safe.
 */
final class ProxyLink {

    /** How long a receiver cut off by a limit may take to close its side before it is reset. */
    private static final Duration CUT_GRACE = Duration.ofSeconds(5);

    private enum State { OPEN, CUT, OVER }

    private final LocalFaultProxy proxy;
    private final SocketChannel client;
    private final SocketChannel server;
    private final ToxicPipe upstream;
    private final ToxicPipe downstream;
    private final long startedNanos = System.nanoTime();
    private final CountDownLatch over = new CountDownLatch(1);
    private State state = State.OPEN; // guarded by this
    private Direction cut; // guarded by this: the direction a limit cut, once CUT
    private int outputsShut; // guarded by this

    ProxyLink(LocalFaultProxy proxy, SocketChannel client, SocketChannel server, long id) {
        this.proxy = proxy;
        this.client = client;
        this.server = server;
        String name = "corosio-fault-proxy-" + proxy.name() + "-" + id;
        this.upstream = new ToxicPipe(this, Direction.UPSTREAM, client, server, name);
        this.downstream = new ToxicPipe(this, Direction.DOWNSTREAM, server, client, name);
    }

    void start() {
        upstream.start();
        downstream.start();
    }

    LocalFaultProxy proxy() {
        return proxy;
    }

    long startedNanos() {
        return startedNanos;
    }

    void toxicsChanged() {
        upstream.wake();
        downstream.wake();
    }

    /**
     * Waits until the link is over or {@code time} has passed: the pipes' delays, which must end
     * at once when the connection does.
     *
     * @return whether the link is over
     */
    boolean awaitOver(long nanos) throws InterruptedException {
        return nanos <= 0 ? isOver() : over.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean isOver() {
        return over.getCount() == 0;
    }

    /** Whether the channel was closed by this link on purpose (a cut sender), so its errors are expected. */
    synchronized boolean isCutSender(SocketChannel channel) {
        return state == State.CUT && channel == source(cut);
    }

    /** Resets both sides (RST, no FIN): a reset_peer toxic, a reset passed on, the path taken down. */
    void reset() {
        if (end()) {
            abort(client);
            abort(server);
        }
    }

    /** Closes both sides as a socket close does: a timeout toxic's end. */
    void closeBoth() {
        if (end()) {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /**
     * A limit was reached one way: the receiver gets end-of-stream after the bytes forwarded, the
     * sender a reset. The receiver's side stays open until it closes too (or the grace passes), so
     * that its own close is not turned into a reset by bytes the proxy never read.
     */
    void cut(Direction direction) throws IOException {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CUT;
            cut = direction;
        }
        proxy.faultHappened();
        target(direction).shutdownOutput();
        abort(source(direction));
        Thread.ofVirtual().name("corosio-fault-proxy-" + proxy.name() + "-cut").start(() -> {
            try {
                if (!awaitOver(CUT_GRACE.toNanos())) {
                    reset();
                }
            } catch (InterruptedException e) {
                reset();
            }
        });
    }

    /** A pipe passed on its end-of-stream; once both have (or the reverse of a cut has), the link is over. */
    void outputShut(Direction direction) {
        boolean done;
        synchronized (this) {
            outputsShut++;
            done = outputsShut == 2 || (state == State.CUT && direction == cut.reverse());
        }
        if (done) {
            closeBoth();
        }
    }

    /** A pipe's socket failed other than by this link's doing: a reset passes on as a reset. */
    void failed(SocketChannel channel) {
        if (!isCutSender(channel)) {
            reset();
        }
    }

    private boolean end() {
        synchronized (this) {
            if (state == State.OVER) {
                return false;
            }
            state = State.OVER;
        }
        over.countDown();
        upstream.stop();
        downstream.stop();
        proxy.ended(this);
        return true;
    }

    private SocketChannel source(Direction direction) {
        return direction == Direction.UPSTREAM ? client : server;
    }

    private SocketChannel target(Direction direction) {
        return direction == Direction.UPSTREAM ? server : client;
    }

    /**
     * Closes a socket so that its peer sees a reset.
     *
     * @param channel the socket
     */
    static void abort(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            // closed already: nothing to reset
        }
        closeQuietly(channel);
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do with this socket
        }
    }
}
