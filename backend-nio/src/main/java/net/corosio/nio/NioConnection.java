package net.corosio.nio;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.BridgedConnection;
import net.corosio.spi.ChunkLease;
import net.corosio.spi.CoalescedFlush;
import net.corosio.spi.InboundQueue;
import net.corosio.spi.TimeoutScheduler;
import net.corosio.spi.TlsCodec;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection of the nio backend: one non-blocking {@link SocketChannel} registered with one
 * {@link SelectorLoop}. {@link BridgedConnection} holds the API's semantics; this class moves the
 * bytes on the loop's thread and turns the hooks called from application threads into tasks for
 * the loop, so the channel, its key and the outbound queue are touched by the loop alone.
 *
 * <p><b>Inbound.</b> On read readiness the loop reads into its direct buffer and copies what came
 * into a heap chunk for the {@link InboundQueue} ({@link InboundChunks}: exactly sized for short
 * reads, recycled for full ones). Copying once costs the same as the JDK's own copy when reading
 * into a heap buffer, and it lets a connection hold no buffer of its own while idle. Each read is
 * capped at half the inbound limit, so the queue overshoots the limit by less than one read
 * before reading pauses.
 *
 * <p><b>Outbound.</b> {@link #submitWrite} copies the writer's slice (its buffer is reused once
 * {@code write} returns), and {@link #submitOwned} takes a lease's buffer as it is, into a queue
 * the loop drains, one flush per loop turn however many writes
 * come ({@link CoalescedFlush}); the loop writes directly and asks for {@code OP_WRITE} only when
 * the socket would block. Shutting down the output and closing wait behind the queued bytes. A
 * handler carried by this loop, running between its turns, writes to the socket itself when
 * nothing is queued ({@link #writeDirectly}), and queues only what the socket did not take.
 *
 * <p>TLS, when configured, is {@link NioTls}, driven from the same readiness events.
 */
final class NioConnection extends BridgedConnection implements KeyHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);

    private static final VarHandle ABORT_QUEUED;

    static {
        try {
            ABORT_QUEUED = MethodHandles.lookup().findVarHandle(NioConnection.class, "abortQueued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most reads per readiness event, so one fast peer cannot hold the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** The most bytes offered to one gathering write (the JDK copies heap buffers it writes). */
    private static final long MAX_GATHER_BYTES = 256 * 1024;

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final InboundChunks chunks;
    private final NioTls tls;
    private final CoalescedFlush<Object> submitted = new CoalescedFlush<>(this::flush); // ByteBuffers and ChunkLeases
    private volatile boolean abortQueued; // through ABORT_QUEUED
    private final Runnable readInterestTask = this::applyReadInterest;

    // Loop-confined.
    private ArrayDeque<ByteBuffer> outbound; // made by the first write that is queued, and kept
    private ArrayDeque<ChunkLease> owned; // leases whose bytes are in outbound, in order; made by the first lease queued
    private SelectionKey key;
    private int interestOps;
    private boolean inputDone;
    private boolean shutdownRequested;
    private boolean closeRequested;
    private boolean outputShut;

    private NioConnection(
            SelectorLoop loop,
            SocketChannel channel,
            InboundChunks chunks,
            boolean serverSide,
            InetSocketAddress local,
            InetSocketAddress remote,
            ConnectionOptions options,
            SSLEngine engine,
            TimeoutScheduler timer,
            TrafficCounter traffic) {
        super(NioTransportProvider.NAME, serverSide, local, remote, options, engine != null, timer, traffic);
        this.loop = loop;
        this.channel = channel;
        this.chunks = chunks;
        this.tls = engine == null ? null : new NioTls(new TlsCodec(engine, true), this, channel, loop);
    }

    /**
     * Creates a connection for a connected, non-blocking channel; {@link #start} puts it to work.
     *
     * @throws IOException if the channel is no longer connected
     */
    static NioConnection create(
            SelectorLoop loop,
            SocketChannel channel,
            InboundChunks chunks,
            boolean serverSide,
            ConnectionOptions options,
            SSLEngine engine,
            TimeoutScheduler timer,
            TrafficCounter traffic) throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        if (local == null || remote == null) {
            throw new SocketException("the channel is not connected");
        }
        return new NioConnection(loop, channel, chunks, serverSide, local, remote, options, engine, timer, traffic);
    }

    /**
     * Hands the connection to its loop: registers the channel (or takes over {@code key}, a
     * client's key from connecting) and starts reading, or the TLS handshake.
     *
     * @param existing the channel's key on the loop, or {@code null} to register it
     */
    void start(SelectionKey existing) {
        schedule(() -> attach(existing));
    }

    private void attach(SelectionKey existing) {
        if (isReleased()) {
            return; // aborted before it got here (the transport closed, the server was at its limit)
        }
        try {
            key = existing != null ? existing : loop.register(channel, 0, this);
            key.attach(this);
            interestOps = key.interestOps();
        } catch (IOException | RuntimeException e) {
            loopSide().failed(e);
            return;
        }
        if (tls != null) {
            tls.start();
        } else {
            applyReadInterest();
        }
    }

    /**
     * Returns the loop this connection is registered with.
     *
     * @return the loop
     */
    SelectorLoop loop() {
        return loop;
    }

    // ================================================================== hooks (application threads)

    @Override
    protected void updateReadInterest() {
        if (loop.inLoop()) {
            applyReadInterest();
        } else {
            schedule(readInterestTask);
        }
    }

    /**
     * Copies the slice: the writer reuses its buffer as soon as {@code write} returns. Into a heap
     * buffer, because allocating direct memory per write is far slower than the copy the JDK then
     * makes into its per-thread cached direct buffer when the loop writes it.
     */
    @Override
    protected void submitWrite(ByteBuffer slice) {
        ByteBuffer copy = ByteBuffer.allocate(slice.remaining());
        copy.put(slice).flip();
        submitted.add(copy);
    }

    /**
     * Queues a lease's own buffer, for plain TCP: written by the same gathering writes as copies,
     * and given back once its last byte is out. Over TLS the engine copies as it encrypts, so a
     * lease is copied like any write there.
     */
    @Override
    protected boolean submitOwned(ChunkLease lease) {
        if (tls != null) {
            return false;
        }
        submitted.add(lease);
        return true;
    }

    /**
     * One flush task at a time: writes that come while one is queued ride along with it. A handler
     * running on this loop's carrier between its turns flushes at once, as the loop would.
     */
    @Override
    protected void submitFlush() {
        Runnable task = submitted.request();
        if (task == null) {
            return;
        }
        if (loop.isAtRestUnderCaller()) {
            task.run();
        } else {
            schedule(task);
        }
    }

    /**
     * A handler on this loop's carrier, between the loop's turns, writes straight to the socket
     * what it takes now, when nothing is queued before (plain TCP): no copy into the queue, no task,
     * and the response leaves before the handler reads again.
     */
    @Override
    protected long writeDirectly(ByteBuffer src) throws IOException {
        return canWriteDirectly() ? channel.write(src) : 0;
    }

    @Override
    protected long writeDirectly(ByteBuffer[] srcs) throws IOException {
        return canWriteDirectly() ? channel.write(srcs) : 0;
    }

    @Override
    protected long writeDirectly(InboundQueue.Chunk chunk) throws IOException {
        return canWriteDirectly() ? channel.write(chunk.bytes()) : 0;
    }

    private boolean canWriteDirectly() {
        return tls == null && loop.isAtRestUnderCaller() && key != null && (outbound == null || outbound.isEmpty())
                && !isReleased()
                && !shutdownRequested && !closeRequested;
    }

    @Override
    protected void submitShutdownOutput() {
        schedule(() -> {
            shutdownRequested = true;
            flush();
        });
    }

    @Override
    protected void submitClose() {
        schedule(() -> {
            closeRequested = true;
            flush();
        });
    }

    @Override
    protected void submitAbort() {
        if (ABORT_QUEUED.compareAndSet(this, false, true)) {
            schedule(() -> release(true));
        }
    }

    @Override
    protected SSLEngine sslEngine() {
        return tls == null ? null : tls.engine();
    }

    /** Runs a task on the loop; if the loop has stopped, the connection is released here instead. */
    /** Runs {@code task} on this connection's loop; a loop that is shutting down releases the connection. */
    void schedule(Runnable task) {
        if (!loop.execute(task)) {
            release(true);
        }
    }

    // ================================================================== readiness (the loop)

    @Override
    public void ready(int readyOps) {
        if (isReleased()) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !isReleased()) {
            if (tls != null) {
                tls.readable();
            } else {
                readPlain();
            }
        }
    }

    @Override
    public void loopClosed() {
        release(true);
    }

    private void readPlain() {
        ByteBuffer buffer = loop.readBuffer();
        // Half the inbound limit per read: the queue then holds two reads before it pauses, so the
        // loop reads the next while the reader copies the last. Reads as large as the limit would
        // fill the queue every time, and loop and reader would take turns, one wake-up per read.
        int max = Math.min(InboundChunks.FULL, Math.max(1, options().inboundLimit() / 2));
        try {
            for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
                buffer.clear().limit(max);
                int n = channel.read(buffer);
                if (n < 0) {
                    endOfInput();
                    return;
                }
                if (n == 0) {
                    return;
                }
                deliver(buffer.flip());
                if (n < max || loopSide().isReadPaused()) {
                    return; // a short read means the socket is drained: spare the read that returns 0
                }
            }
        } catch (IOException e) {
            loopSide().failed(e);
        }
    }

    // ================================================================== for NioTls (the loop)

    /** Hands received plaintext to the reader, copied into a chunk. */
    void deliver(ByteBuffer bytes) {
        loopSide().received(chunks.copyOf(bytes));
    }

    /** The peer ended its stream (for TLS: after close_notify, or during the handshake). */
    void endOfInput() {
        inputDone = true;
        applyReadInterest();
        loopSide().ended();
    }

    /**
     * The TLS peer ended the TCP stream without close_notify: the reader gets every byte before
     * it, then {@link ErrorKind#TLS_TRUNCATED}.
     */
    // @corrects tls-eof-without-close-notify: the JDK's SSLEngine.closeInbound throws when the stream
    // ends without close_notify; the reader gets every byte before it, then TLS_TRUNCATED.
    void truncatedInput(SSLException cause) {
        inputDone = true;
        applyReadInterest();
        loopSide().endedWithFailure(new TransportException(ErrorKind.TLS_TRUNCATED,
                "the peer ended the stream without a TLS close_notify", cause));
    }

    boolean isInputDone() {
        return inputDone;
    }

    boolean isReleased() {
        return state().isReleased();
    }

    /** The TLS handshake completed: the reader may read, and what waited for it may be written. */
    void tlsHandshakeDone() {
        loopSide().handshakeSucceeded();
        applyReadInterest();
    }

    /** Asks for a flush on a later turn of the loop (from code that must not re-enter it). */
    void flushSoon() {
        submitFlush();
    }

    /**
     * Applies the current read interest: reading unless the input has ended, the inbound queue is
     * full (the reader has not kept up), or the TLS engine must send something first.
     */
    void applyReadInterest() {
        boolean paused = loopSide().isReadPaused();
        boolean wanted = tls == null ? !paused : tls.wantsRead(paused);
        interest(SelectionKey.OP_READ, !inputDone && wanted);
    }

    /**
     * Sets or clears {@code op} in the key's interest set; the mirror spares a key update when
     * nothing changes.
     */
    void interest(int op, boolean on) {
        if (key == null || isReleased()) {
            return;
        }
        int ops = on ? interestOps | op : interestOps & ~op;
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ================================================================== outbound (the loop)

    /**
     * Writes what is queued; once it is all out, carries out a requested shutdown of the output
     * (TLS close_notify, then FIN) and a requested close.
     */
    private void flush() {
        if (isReleased() || key == null) {
            return;
        }
        if (outbound == null) {
            outbound = new ArrayDeque<>(2);
        }
        Object write;
        while ((write = submitted.poll()) != null) {
            if (write instanceof ChunkLease lease) {
                outbound.add(lease.chunk().bytes());
                if (owned == null) {
                    owned = new ArrayDeque<>(1);
                }
                owned.add(lease);
            } else {
                outbound.add((ByteBuffer) write);
            }
        }
        try {
            boolean drained = tls == null ? writePlain() : tls.flush(outbound);
            if (drained && (shutdownRequested || closeRequested) && !outputShut) {
                drained = tls == null || tls.closeOutbound();
                if (drained) {
                    outputShut = true;
                    channel.shutdownOutput();
                }
            }
            interest(SelectionKey.OP_WRITE, !drained);
            if (drained && closeRequested) {
                release(false);
            }
        } catch (IOException e) {
            loopSide().failed(e);
        }
    }

    /**
     * Writes the outbound queue with gathering writes until it is empty or the socket is full.
     *
     * @return whether the queue is empty
     */
    private boolean writePlain() throws IOException {
        ByteBuffer[] batch = loop.gatherArray();
        while (!outbound.isEmpty()) {
            int count = 0;
            long offered = 0;
            for (ByteBuffer buffer : outbound) {
                batch[count++] = buffer;
                offered += buffer.remaining();
                if (count == batch.length || offered >= MAX_GATHER_BYTES) {
                    break;
                }
            }
            long written;
            try {
                written = count == 1 ? channel.write(batch[0]) : channel.write(batch, 0, count);
            } finally {
                Arrays.fill(batch, 0, count, null);
            }
            while (!outbound.isEmpty() && !outbound.peekFirst().hasRemaining()) {
                ByteBuffer done = outbound.pollFirst();
                if (owned != null && !owned.isEmpty() && owned.peekFirst().chunk().bytes() == done) {
                    owned.pollFirst().release();
                }
            }
            if (written > 0) {
                loopSide().flushed(written);
            }
            if (written < offered) {
                return false;
            }
        }
        return true;
    }

    // ================================================================== release

    /**
     * Closes the channel, once: with a reset (SO_LINGER 0) for an abort, normally otherwise. Runs
     * on the loop, or on any thread once the loop has stopped; the state's release mark makes the
     * two agree.
     * Closing a registered channel cancels its key, and the loop's next select closes the
     * descriptor.
     */
    private void release(boolean reset) {
        if (!state().markReleased()) {
            return;
        }
        if (reset) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // Already reset by the peer or closed: closing below is all that is left.
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the channel failed", this, e);
        }
        long discarded = 0;
        Object write;
        while ((write = submitted.poll()) != null) {
            if (write instanceof ChunkLease lease) {
                discarded += lease.chunk().remaining();
                lease.release();
            } else {
                discarded += ((ByteBuffer) write).remaining();
            }
        }
        ByteBuffer buffer;
        while (outbound != null && (buffer = outbound.poll()) != null) {
            discarded += buffer.remaining();
        }
        ChunkLease lease;
        while (owned != null && (lease = owned.poll()) != null) {
            lease.release();
        }
        if (tls != null) {
            discarded += tls.discardPending();
        }
        if (discarded > 0) {
            loopSide().flushed(discarded);
        }
        loopSide().closed();
    }
}
