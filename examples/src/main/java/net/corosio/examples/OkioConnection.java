package net.corosio.examples;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.corosio.BufferLease;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import okio.AsyncTimeout;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Sink;
import okio.Source;
import okio.Timeout;

/**
 * Okio over a {@link Connection}: one {@link BufferedSource} for what the peer sends and one
 * {@link BufferedSink} for what goes back, so examples frame and parse with Okio instead of
 * juggling {@link ByteBuffer}s. Every example uses this one adapter.
 *
 * <p><b>Reads and writes</b> block the calling thread exactly as the connection's calls do (cheaply,
 * on a virtual thread). The source receives the transport's own buffer ({@link
 * Connection#receive()}), copies it into Okio's segments — the one copy a read makes — and gives it
 * back at once, so a connection waiting for its next request holds no buffer at all, neither the
 * transport's nor one of its own; it returns as soon as any byte arrives, so a parser never waits for
 * bytes it does not need. The sink hands Okio's segments themselves to the connection, up to
 * {@value #WRITE_CHUNK} bytes in one gathering write, without copying them into a buffer of its own;
 * {@link BufferedSink#flush()} is therefore what puts buffered output on the wire.
 *
 * <p><b>Flushing.</b> With {@link FlushPolicy#BEFORE_READ}, the sink is flushed whenever the source
 * must wait for the network. A request/response server then answers every request it already has
 * (a pipelined batch) in as few writes as possible and never sits on an answer while it waits for
 * the next request. That policy touches the sink from the reading thread, so it is only for
 * connections whose reader is also their writer; a connection written by another thread (chat)
 * uses {@link FlushPolicy#EXPLICIT}.
 *
 * <p><b>Timeouts.</b> The connection's own timeouts ({@code ConnectionOptions}: read, write, idle)
 * are enforced by the transport; when one fires, the source or sink throws a {@link
 * SocketTimeoutException} — Okio's convention for a timed-out socket — whose cause is the
 * {@link TransportException}. A read timeout leaves the connection usable, as the API promises.
 * Okio's own {@link Timeout} on {@link #source()} and {@link #sink()} works as it does for Okio's
 * sockets: a timeout or deadline set there is watched by Okio's watchdog, and when it passes
 * during a read the connection is closed (after writing the {@linkplain #timeoutNotice(ByteString)
 * notice}, if one is set), during a write it is aborted; the blocked call then throws {@link
 * SocketTimeoutException}. That is how an example bounds a whole phase — the HTTP header block —
 * rather than each read.
 *
 * <p><b>Errors</b> other than timeouts are the connection's {@link TransportException}s, unchanged,
 * so callers can still branch on {@link TransportException#kind()} (a reset stays a reset).
 *
 * <p><b>Closing.</b> Closing the sink flushes it and half-closes the connection ({@link
 * Connection#shutdownOutput()}); closing the source releases nothing (no lease outlives a read). The connection itself stays
 * its owner's to close (for a handler, the server closes it when the handler returns).
 *
 * <p>Not thread-safe beyond what the connection allows: one thread may use the source while
 * another uses the sink.
 */
public final class OkioConnection {

    /** When the sink's buffered bytes go to the connection without an explicit flush. */
    public enum FlushPolicy {
        /** Only on {@link BufferedSink#flush()}, {@link BufferedSink#emit()} or when Okio's buffer fills. */
        EXPLICIT,
        /** Also before every read that has to wait for the network. */
        BEFORE_READ
    }

    /** The most bytes handed to one {@link Connection#write}. */
    static final int WRITE_CHUNK = 64 * 1024;

    /** The most of Okio's segments handed to one gathering {@link Connection#write}. */
    private static final int MAX_GATHER = 16;

    private final Connection connection;
    private final FlushPolicy flushPolicy;
    private final Watchdog readWatchdog = new Watchdog(true);
    private final Watchdog writeWatchdog = new Watchdog(false);
    private final BufferedSource source;
    private final BufferedSink sink;
    private volatile ByteString timeoutNotice;

    private OkioConnection(Connection connection, FlushPolicy flushPolicy) {
        this.connection = connection;
        this.flushPolicy = flushPolicy;
        this.source = Okio.buffer(new ConnectionSource());
        this.sink = Okio.buffer(new ConnectionSink());
    }

    /**
     * Wraps a connection; output is flushed only when asked ({@link FlushPolicy#EXPLICIT}).
     *
     * @param connection the connection, which stays the caller's to close
     * @return the adapter
     */
    public static OkioConnection of(Connection connection) {
        return of(connection, FlushPolicy.EXPLICIT);
    }

    /**
     * Wraps a connection.
     *
     * @param connection the connection, which stays the caller's to close
     * @param flushPolicy when buffered output is written without an explicit flush
     * @return the adapter
     */
    public static OkioConnection of(Connection connection, FlushPolicy flushPolicy) {
        if (connection == null || flushPolicy == null) {
            throw new NullPointerException(connection == null ? "connection" : "flushPolicy");
        }
        return new OkioConnection(connection, flushPolicy);
    }

    /**
     * Returns what the peer sends. Its {@link BufferedSource#timeout()} bounds reads (see the class
     * comment).
     *
     * @return the source; the same instance every time
     */
    public BufferedSource source() {
        return source;
    }

    /**
     * Returns what goes to the peer. Its {@link BufferedSink#timeout()} bounds writes.
     *
     * @return the sink; the same instance every time
     */
    public BufferedSink sink() {
        return sink;
    }

    /**
     * Returns the wrapped connection.
     *
     * @return the connection
     */
    public Connection connection() {
        return connection;
    }

    /**
     * Sets the bytes written to the peer, best effort, when the source's Okio timeout or deadline
     * passes and the connection is closed for it — e.g. an HTTP 408 while a request head is late.
     * They are written from another thread while the reader is blocked, so set a notice only while
     * nothing else can be writing (after a flush, before a read).
     *
     * @param notice the bytes, or {@code null} for none
     */
    public void timeoutNotice(ByteString notice) {
        this.timeoutNotice = notice;
    }

    /** Maps the connection's own timeouts to Okio's exception; other failures pass unchanged. */
    private static IOException translate(TransportException e) {
        ErrorKind kind = e.kind();
        if (kind == ErrorKind.READ_TIMEOUT || kind == ErrorKind.WRITE_TIMEOUT || kind == ErrorKind.IDLE_TIMEOUT) {
            InterruptedIOException timeout = new SocketTimeoutException(e.getMessage());
            timeout.initCause(e);
            return timeout;
        }
        return e;
    }

    /** Runs on a fresh virtual thread when an Okio timeout passes: never on the watchdog itself. */
    private void expire(boolean reading) {
        if (!reading) {
            // A stalled write cannot be finished gracefully: its peer does not read.
            connection.abort();
            return;
        }
        ByteString notice = timeoutNotice;
        if (notice != null) {
            try {
                connection.write(ByteBuffer.wrap(notice.toByteArray()));
            } catch (IOException e) {
                // Best effort: the peer may be gone already; closing is what matters.
            }
        }
        connection.close();
    }

    /** Okio's watchdog for one direction: it unblocks a late call by closing the connection. */
    private final class Watchdog extends AsyncTimeout {
        private final boolean reading;

        Watchdog(boolean reading) {
            this.reading = reading;
        }

        @Override
        protected void timedOut() {
            // Called on Okio's single watchdog thread, which must never block: a graceful close may
            // linger for the close timeout.
            Thread.ofVirtual().name("okio-timeout").start(() -> expire(reading));
        }

        @Override
        protected IOException newTimeoutException(IOException cause) {
            SocketTimeoutException timeout = new SocketTimeoutException(
                    (reading ? "read" : "write") + " timed out (Okio timeout) on " + connection.remoteAddress());
            if (cause != null) {
                timeout.initCause(cause);
            }
            return timeout;
        }

        IOException timeout(IOException cause) {
            return newTimeoutException(cause);
        }
    }

    /**
     * The connection's input as an Okio {@link Source}. A lease is copied whole into {@code
     * received} and given back at once; what Okio did not ask for waits there, in Okio's segments.
     */
    private final class ConnectionSource implements Source {
        private final Buffer received = new Buffer();

        @Override
        public long read(Buffer into, long byteCount) throws IOException {
            if (byteCount < 0) {
                throw new IllegalArgumentException("byteCount < 0: " + byteCount);
            }
            if (byteCount == 0) {
                return 0;
            }
            if (received.size() > 0) {
                return received.read(into, byteCount);
            }
            if (flushPolicy == FlushPolicy.BEFORE_READ && sink.isOpen()) {
                sink.flush();
            }
            BufferLease lease;
            readWatchdog.enter();
            try {
                lease = connection.receive();
            } catch (TransportException e) {
                throw readWatchdog.exit() ? readWatchdog.timeout(e) : translate(e);
            }
            try (lease) {
                if (readWatchdog.exit()) {
                    throw readWatchdog.timeout(null);
                }
                if (lease == null) {
                    return -1;
                }
                received.write(lease.buffer());
            }
            return received.read(into, byteCount);
        }

        @Override
        public Timeout timeout() {
            return readWatchdog;
        }

        @Override
        public void close() {
            // The connection is its owner's; there is no input-only shutdown to do, and no lease is
            // ever held between reads.
        }
    }

    /**
     * The connection's output as an Okio {@link Sink}: Okio's segments go to the connection as
     * they are, in gathering writes, and are let go of (skipped) only once the write has returned
     * — by then the transport has sent or copied them.
     */
    private final class ConnectionSink implements Sink {
        private final Buffer.UnsafeCursor cursor = new Buffer.UnsafeCursor();
        private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];

        @Override
        public void write(Buffer from, long byteCount) throws IOException {
            if (byteCount < 0 || byteCount > from.size()) {
                throw new IllegalArgumentException("byteCount " + byteCount + " of " + from.size() + " bytes");
            }
            while (byteCount > 0) {
                int count = 0;
                long taken = 0;
                try (Buffer.UnsafeCursor segments = from.readUnsafe(cursor)) {
                    for (long n = segments.seek(0); n > 0 && count < MAX_GATHER && taken < byteCount
                            && taken < WRITE_CHUNK; n = segments.next()) {
                        int length = (int) Math.min(n, Math.min(byteCount, WRITE_CHUNK) - taken);
                        gather[count++] = ByteBuffer.wrap(segments.data, segments.start, length);
                        taken += length;
                    }
                }
                writeWatchdog.enter();
                try {
                    if (count == 1) {
                        connection.write(gather[0]);
                    } else {
                        connection.write(Arrays.copyOf(gather, count)); // one atomic write
                    }
                } catch (TransportException e) {
                    throw writeWatchdog.exit() ? writeWatchdog.timeout(e) : translate(e);
                } finally {
                    Arrays.fill(gather, 0, count, null);
                }
                if (writeWatchdog.exit()) {
                    throw writeWatchdog.timeout(null);
                }
                from.skip(taken);
                byteCount -= taken;
            }
        }

        @Override
        public void flush() {
            // Every write already went to the connection, which has no buffer of its own to flush.
        }

        @Override
        public Timeout timeout() {
            return writeWatchdog;
        }

        @Override
        public void close() throws IOException {
            try {
                connection.shutdownOutput();
            } catch (TransportException e) {
                throw translate(e);
            }
        }
    }
}
