package net.corosio.loom;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.ConnectionState;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.ProgressTimeout;
import net.corosio.spi.TimeoutScheduler;
import net.corosio.spi.TlsCodec;
import net.corosio.spi.TrafficCounter;

/**
 * A connection of the loom backend: a blocking {@link SocketChannel} used from virtual threads.
 * Reads and writes block in the JDK, which parks the virtual thread on the poller; this class
 * adds the API's state machine ({@link ConnectionState}), the timeouts, the write lock that makes
 * writes atomic, and TLS ({@link LoomTls}) when configured.
 */
final class LoomConnection implements Connection {

    private static final int DRAIN_BUFFER_SIZE = 4096;

    private final SocketChannel channel;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final ConnectionOptions options;
    private final TimeoutScheduler timer;
    private final TrafficCounter traffic;
    private final ConnectionState state;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ProgressTimeout idle;
    private final ProgressTimeout writeStall;
    private final SocketIo io;
    private final LoomTls tls;
    private volatile Runnable untrack = () -> {};

    LoomConnection(
            SocketChannel channel,
            boolean serverSide,
            ConnectionOptions options,
            SSLEngine engine,
            TimeoutScheduler timer,
            TrafficCounter traffic)
            throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.options = options;
        this.timer = timer;
        this.traffic = traffic;
        this.state = new ConnectionState(
                LoomTransportProvider.NAME + " " + local + (serverSide ? " <- " : " -> ") + remote, this::onFailure);
        this.idle = new ProgressTimeout(timer, options.idleTimeout(),
                () -> state.fail(ErrorKind.IDLE_TIMEOUT, "nothing was read or written for " + options.idleTimeout(), null));
        this.writeStall = new ProgressTimeout(timer, options.writeTimeout(),
                () -> state.fail(ErrorKind.WRITE_TIMEOUT, "a write made no progress for " + options.writeTimeout(), null));
        this.io = new SocketIo(channel, options.readTimeout(), idle, writeStall);
        this.tls = engine == null ? null : new LoomTls(new TlsCodec(engine), io, writeLock);
        idle.arm();
    }

    /** Sets what runs once when the connection releases its socket. */
    void untrackWith(Runnable action) {
        this.untrack = action;
    }

    ConnectionState state() {
        return state;
    }

    /**
     * Runs the TLS handshake (nothing for plain TCP), bounded by the handshake timeout. On failure
     * the connection is aborted.
     */
    void handshake() throws TransportException {
        if (tls == null) {
            return;
        }
        Duration limit = options.tlsHandshakeTimeout();
        TimeoutScheduler.Scheduled deadline = limit.isZero()
                ? () -> {}
                : timer.schedule(limit.toNanos(), () -> state.fail(
                        ErrorKind.TLS_HANDSHAKE, "the TLS handshake did not complete within " + limit, null));
        writeLock.lock();
        try {
            state.checkUsable("TLS handshake");
            tls.handshake();
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
            writeLock.unlock();
            deadline.cancel();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws TransportException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only: " + dst);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        state.beginRead();
        try {
            if (state.isInputEnded()) {
                return -1;
            }
            int n = tls == null ? io.read(dst) : tls.read(dst);
            if (n < 0) {
                state.markInputEnded();
            } else {
                traffic.read(n);
            }
            return n;
        } catch (IOException e) {
            throw state.failure("read", e, ErrorKind.READ_TIMEOUT);
        } finally {
            state.endRead();
        }
    }

    @Override
    public void write(ByteBuffer src) throws TransportException {
        Objects.requireNonNull(src, "src");
        writeBytes(src.remaining(), () -> {
            if (tls == null) {
                io.writeFully(src);
            } else {
                tls.write(src);
            }
        });
    }

    @Override
    public void write(ByteBuffer... srcs) throws TransportException {
        Objects.requireNonNull(srcs, "srcs");
        long size = 0;
        for (int i = 0; i < srcs.length; i++) {
            if (srcs[i] == null) {
                throw new NullPointerException("srcs[" + i + "] is null");
            }
            size += srcs[i].remaining();
        }
        writeBytes(size, () -> {
            if (tls == null) {
                io.writeFully(srcs);
            } else {
                tls.write(srcs);
            }
        });
    }

    /** Moves {@code size} bytes to the socket. */
    @FunctionalInterface
    private interface Transfer {
        void run() throws IOException;
    }

    /** One atomic write: under the write lock, watched by the write timeout, counted once done. */
    private void writeBytes(long size, Transfer transfer) throws TransportException {
        state.lockForWrite(writeLock, "write");
        try {
            state.checkWritable("write");
            if (size == 0) {
                return;
            }
            writeStall.arm();
            transfer.run();
            traffic.written(size);
        } catch (IOException e) {
            throw state.failure("write", e, ErrorKind.WRITE_TIMEOUT);
        } finally {
            writeStall.disarm();
            writeLock.unlock();
        }
    }

    @Override
    public void shutdownOutput() throws TransportException {
        state.lockForWrite(writeLock, "shutdownOutput");
        try {
            state.checkUsable("shutdownOutput");
            if (!state.markOutputShutdown()) {
                return;
            }
            if (tls != null) {
                tls.closeOutbound();
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            throw state.failure("shutdownOutput", e, ErrorKind.WRITE_TIMEOUT);
        } finally {
            writeLock.unlock();
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
        if (!state.markClosed()) {
            return;
        }
        Duration limit = options.closeTimeout();
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
        if (state.isOutputShutdown()) {
            return true;
        }
        if (!writeLock.tryLock()) {
            return false;
        }
        try {
            if (tls != null && tls.isHandshakeDone()) {
                tls.closeOutbound();
            }
            channel.shutdownOutput();
            return true;
        } finally {
            writeLock.unlock();
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
        state.markClosed();
        release(true);
    }

    /** Runs once, when the first terminal failure is recorded by any thread (or the timer). */
    private void onFailure() {
        // An idle connection is closed, the others (reset, timeouts, cancellation) are aborted.
        release(state.failureKind() != ErrorKind.IDLE_TIMEOUT);
    }

    private void release(boolean reset) {
        if (!state.markReleased()) {
            return;
        }
        idle.cancel();
        writeStall.cancel();
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
        untrack.run();
    }

    @Override
    public boolean isOpen() {
        return state.isOpen();
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return tls == null || !tls.isHandshakeDone() ? Optional.empty() : Optional.of(tls.codec().engine().getSession());
    }

    @Override
    public Optional<String> applicationProtocol() {
        if (tls == null || !tls.isHandshakeDone()) {
            return Optional.empty();
        }
        String protocol = tls.codec().engine().getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    @Override
    public String toString() {
        return state.label();
    }
}
