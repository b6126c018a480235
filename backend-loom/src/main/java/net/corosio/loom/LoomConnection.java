package net.corosio.loom;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.AbstractConnection;
import net.corosio.spi.ChunkLease;
import net.corosio.spi.ConnectionState;
import net.corosio.spi.HeapBufferPool;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.TimeoutScheduler;
import net.corosio.spi.TlsCodec;
import net.corosio.spi.TrafficCounter;

/**
 * A connection of the loom backend: a blocking {@link SocketChannel} used from virtual threads.
 * Reads and writes block in the JDK, which parks the virtual thread on the poller; {@link
 * AbstractConnection} holds the API's state machine, timeouts and the write lock that makes writes
 * atomic; this class moves the bytes, with TLS ({@link LoomTls}) when configured, and closes.
 */
final class LoomConnection extends AbstractConnection {

    private static final int DRAIN_BUFFER_SIZE = 4096;

    private final SocketChannel channel;
    private final TimeoutScheduler timer;
    private final SocketIo io;
    private final LoomTls tls;
    private ByteBuffer wakeByte; // where a waiting receiver's first byte goes; made by the first receive

    LoomConnection(
            SocketChannel channel,
            boolean serverSide,
            ConnectionOptions options,
            SSLEngine engine,
            TimeoutScheduler timer,
            TrafficCounter traffic)
            throws IOException {
        super(LoomTransportProvider.NAME, serverSide, (InetSocketAddress) channel.getLocalAddress(),
                (InetSocketAddress) channel.getRemoteAddress(), options, timer, traffic);
        this.channel = channel;
        this.timer = timer;
        this.io = new SocketIo(channel, options.readTimeout(), this::inboundProgress, this::progress);
        this.tls = engine == null ? null : new LoomTls(new TlsCodec(engine), io, writeLock());
    }

    /**
     * Runs the TLS handshake (nothing for plain TCP), bounded by the handshake timeout. On failure
     * the connection is aborted.
     */
    void handshake() throws TransportException {
        if (tls == null) {
            return;
        }
        ConnectionState state = state();
        Duration limit = options().tlsHandshakeTimeout();
        TimeoutScheduler.Scheduled deadline = limit.isZero()
                ? () -> {}
                : timer.schedule(limit.toNanos(), () -> state.timedOut(
                        ErrorKind.TLS_HANDSHAKE, "the TLS handshake did not complete within " + limit));
        writeLock().lock();
        try {
            state.checkUsable("TLS handshake");
            tls.handshake();
            handshakeCompleted();
        } catch (IOException e) {
            TransportException failure = state.failure("TLS handshake", e, ErrorKind.TLS_HANDSHAKE);
            if (failure.kind() != ErrorKind.TLS_HANDSHAKE && failure.kind() != ErrorKind.CANCELLED
                    && failure.kind() != ErrorKind.CLOSED) {
                // A reset or an end-of-stream in the middle of a handshake is a failed handshake.
                state.fail(ErrorKind.TLS_HANDSHAKE, "the TLS handshake failed", e);
                throw state.exception(ErrorKind.TLS_HANDSHAKE, "TLS handshake", failure.getMessage(), e);
            }
            throw failure;
        } finally {
            writeLock().unlock();
            deadline.cancel();
        }
    }

    @Override
    protected int readSome(ByteBuffer dst) throws TransportException {
        try {
            return tls == null ? io.read(dst) : tls.read(dst);
        } catch (IOException e) {
            throw state().failure("read", e, ErrorKind.READ_TIMEOUT);
        }
    }

    /**
     * Lends a pooled heap buffer, and waits holding none: while nothing is readable, the receiver
     * parks in a one-byte read into a byte of the connection's own (the JDK parks a virtual thread
     * in a blocking read until the socket is readable, and a read needs somewhere to put a byte).
     * Once woken, that byte and everything the kernel holds by then ({@link SocketIo#available()})
     * go into a pooled buffer sized for them; bytes already waiting are read straight into one.
     * Each lease is its own buffer, given back to the pool when the lease is. TLS decrypts into
     * a pooled buffer taken only once ciphertext has arrived ({@link LoomTls#receive}).
     */
    @Override
    protected ChunkLease receiveSome() throws TransportException {
        try {
            if (tls != null) {
                ByteBuffer plaintext = tls.receive(HeapBufferPool.LARGE);
                return plaintext == null ? null : lend(HeapBufferPool.LARGE.chunk(plaintext));
            }
            return receivePlain();
        } catch (IOException e) {
            throw state().failure("receive", e, ErrorKind.READ_TIMEOUT);
        }
    }

    private ChunkLease receivePlain() throws IOException {
        int available = io.available();
        ByteBuffer woken = null;
        if (available == 0) {
            ByteBuffer one = wakeByte;
            if (one == null) {
                one = ByteBuffer.allocate(1);
                wakeByte = one;
            }
            if (io.read(one.clear()) < 0) {
                return null;
            }
            woken = one.flip();
            available = io.available();
        }
        HeapBufferPool pool = HeapBufferPool.forSize(available + 1);
        ByteBuffer buffer = pool.take();
        try {
            if (woken != null) {
                buffer.put(woken);
            }
            if (available > 0) {
                io.read(buffer); // returns at once: the kernel holds these bytes
            }
        } catch (IOException | RuntimeException e) {
            pool.giveBack(buffer);
            throw e;
        }
        return lend(pool.chunk(buffer.flip()));
    }

    @Override
    protected void writeAll(ByteBuffer src) throws TransportException {
        try {
            if (tls == null) {
                io.writeFully(src);
            } else {
                tls.write(src);
            }
        } catch (IOException e) {
            throw state().failure("write", e, ErrorKind.WRITE_TIMEOUT);
        }
    }

    @Override
    protected void writeAll(ByteBuffer[] srcs, long size) throws TransportException {
        try {
            if (tls == null) {
                io.writeFully(srcs);
            } else {
                tls.write(srcs);
            }
        } catch (IOException e) {
            throw state().failure("write", e, ErrorKind.WRITE_TIMEOUT);
        }
    }

    @Override
    protected void shutdownOutputNow() throws TransportException {
        try {
            if (tls != null) {
                tls.closeOutbound();
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            throw state().failure("shutdownOutput", e, ErrorKind.WRITE_TIMEOUT);
        }
    }

    /**
     * Closes gracefully with a lingering close, bounded by the close timeout: close_notify (TLS)
     * and FIN after every byte earlier writes accepted, then read and discard what the peer still
     * sends until it ends its side or stays quiet for {@link ConnectionState#LINGER_QUIET}, then
     * release. Closing a socket with unread input makes the kernel send a reset and drop what it
     * has not sent yet, so draining first is what lets a peer that is still sending (a pipelined request, a TLS 1.3
     * session ticket) get every byte and a clean end-of-stream; the kernel delivers the rest after
     * the socket is released. When the close timeout passes first, the connection is aborted.
     * Without a close timeout there is no lingering: FIN, then release at once.
     */
    @Override
    public void close() {
        ConnectionState state = state();
        if (!state.markClosed()) {
            return;
        }
        Duration limit = options().closeTimeout();
        TimeoutScheduler.Scheduled deadline = limit.isZero() ? () -> {} : timer.schedule(limit.toNanos(), () -> release(true));
        boolean ended = false;
        try {
            ended = sendEndOfStream();
            if (ended && !limit.isZero() && state.claimInputForClose()) {
                drainUntilThePeerEnds();
            }
        } catch (IOException | RuntimeException ignored) {
            // The peer reset, or the close timed out and aborted: the socket is released either way.
        } finally {
            deadline.cancel();
        }
        // A write still in progress is cut off: the peer must see a reset, not a clean end of a
        // stream that lost the rest of that write (5.10).
        release(!ended);
    }

    /**
     * Sends close_notify (TLS) and FIN unless a write is in progress, which the close does not
     * wait for (that write fails with CLOSED).
     *
     * @return whether the peer has been sent its end-of-stream, now or by an earlier shutdownOutput
     */
    private boolean sendEndOfStream() throws IOException {
        if (state().isOutputShutdown()) {
            return true;
        }
        if (!writeLock().tryLock()) {
            return false;
        }
        try {
            if (tls != null && tls.isHandshakeDone()) {
                tls.closeOutbound();
            }
            channel.shutdownOutput();
            return true;
        } finally {
            writeLock().unlock();
        }
    }

    private void drainUntilThePeerEnds() throws IOException {
        channel.socket().setSoTimeout(JdkSockets.timeoutMillis(ConnectionState.LINGER_QUIET));
        InputStream in = channel.socket().getInputStream();
        byte[] sink = new byte[DRAIN_BUFFER_SIZE];
        try {
            while (in.read(sink) >= 0) {
                // discard: the application closed, so it wants nothing more from the peer
            }
        } catch (SocketTimeoutException quiet) {
            // The peer has stopped sending: nothing is left to turn the release into a reset.
        }
    }

    /** Also cuts short a graceful close still sending close_notify. */
    @Override
    public void abort() {
        state().markClosed();
        release(true);
    }

    /** An idle connection is closed, the others (reset, timeouts, cancellation) are aborted. */
    @Override
    protected void terminalFailure() {
        release(state().failureKind() != ErrorKind.IDLE_TIMEOUT);
    }

    private void release(boolean reset) {
        if (!state().markReleased()) {
            return;
        }
        try {
            if (reset && channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException ignored) {
            // Already closed by the JDK (an interrupt does that); closing below is still right.
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more can be done for a socket that fails to close.
        }
        released();
    }

    @Override
    protected SSLEngine sslEngine() {
        return tls == null ? null : tls.codec().engine();
    }

    @Override
    protected boolean isHandshakeDone() {
        return tls == null || tls.isHandshakeDone();
    }
}
