package net.corosio.tck;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * TLS oracle peers for what a JDK {@link SSLSocket} cannot show or do.
 *
 * <p>An {@code SSLSocket} reports a peer that sent {@code close_notify} and then ended the TCP
 * stream exactly like a peer that only ended the TCP stream: {@code read} returns -1 both times
 * (checked on JDK 25, TLS 1.2 and 1.3). It also cannot send a record in pieces, or end the TCP
 * stream without {@code close_notify}. {@link EnginePeer} can: it drives a JDK {@link SSLEngine}
 * over a plain JDK socket, so a test sees every record boundary and every TCP event.
 */
final class TlsPeers {

    private TlsPeers() {}

    /** How an {@link EnginePeer} saw the other side's stream end. */
    enum Ending {
        /** A {@code close_notify}, then the TCP end-of-stream: a clean TLS close. */
        CLEAN,
        /** The TCP end-of-stream without a {@code close_notify} first. */
        TRUNCATED,
        /** A TCP reset before any {@code close_notify}. */
        RESET,
        /**
         * A {@code close_notify}, then a TCP reset instead of the end-of-stream (on Linux, what
         * closing a socket with unread received bytes does, such as a TLS 1.3 session ticket).
         */
        CLOSE_NOTIFY_THEN_RESET
    }

    /** The TCP stream ended before a {@code close_notify} arrived. */
    static final class TruncatedException extends EOFException {
        private static final long serialVersionUID = 1L;

        TruncatedException(String message) {
            super(message);
        }
    }

    /**
     * Connects a plain oracle socket and starts a client-mode TLS peer over it (the handshake is
     * not done yet: call {@link EnginePeer#handshake()}).
     *
     * @param kit the kit, which tracks the socket
     * @param address where to connect
     * @param context the client's trust (and keys)
     * @param protocols the protocols to enable, or none for the context's defaults
     * @return the peer
     * @throws IOException if the TCP connect fails
     */
    static EnginePeer connect(Kit kit, InetSocketAddress address, SSLContext context, String... protocols)
            throws IOException {
        return client(kit.oracleConnect(address), context, protocols);
    }

    /**
     * Starts a client-mode TLS peer over a connected plain socket (the handshake is not done yet:
     * call {@link EnginePeer#handshake()}).
     *
     * @param socket the connected socket, tracked by the kit
     * @param context the client's trust (and keys)
     * @param protocols the protocols to enable, or none for the context's defaults
     * @return the peer
     */
    static EnginePeer client(Socket socket, SSLContext context, String... protocols) {
        SSLEngine engine = context.createSSLEngine(socket.getInetAddress().getHostAddress(), socket.getPort());
        engine.setUseClientMode(true);
        return new EnginePeer(socket, engine, protocols);
    }

    /**
     * Starts a server-mode TLS peer over an accepted plain socket (the handshake is not done yet:
     * call {@link EnginePeer#handshake()}).
     *
     * @param socket the accepted socket, tracked by the kit
     * @param context the server's keys
     * @param protocols the protocols to enable, or none for the context's defaults
     * @return the peer
     */
    static EnginePeer serve(Socket socket, SSLContext context, String... protocols) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new EnginePeer(socket, engine, protocols);
    }

    /**
     * A blocking TLS peer: an {@link SSLEngine} over a plain socket. One thread may read while
     * another writes (the engine allows it; the socket's output is guarded by a lock). Reads wait
     * at most the socket's timeout, which the kit sets on every socket it makes.
     */
    static final class EnginePeer {
        private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

        private final Socket socket;
        private final SSLEngine engine;
        private final InputStream in;
        private final OutputStream out;
        private final Object outLock = new Object();
        private ByteBuffer netIn; // fill mode: ciphertext read and not yet unwrapped
        private ByteBuffer appIn; // read mode: plaintext unwrapped and not yet delivered
        private boolean closeNotifyReceived;

        private EnginePeer(Socket socket, SSLEngine engine, String... protocols) {
            this.socket = socket;
            this.engine = engine;
            if (protocols.length > 0) {
                engine.setEnabledProtocols(protocols);
            }
            try {
                this.in = socket.getInputStream();
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException("the oracle socket is not connected", e);
            }
            this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        }

        /**
         * Returns the plain socket under the TLS, to reset it or end its output.
         *
         * @return the socket
         */
        Socket socket() {
            return socket;
        }

        /**
         * Returns the engine, for its negotiated application protocol.
         *
         * @return the engine
         */
        SSLEngine engine() {
            return engine;
        }

        /**
         * Returns the TLS session.
         *
         * @return the session
         */
        SSLSession session() {
            return engine.getSession();
        }

        /**
         * Runs the handshake to its end.
         *
         * @return this peer
         * @throws IOException if the handshake fails or the stream ends during it
         */
        EnginePeer handshake() throws IOException {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                switch (status) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> send(wrap(NOTHING));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult result = unwrap();
                        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLException("the other side closed during the handshake");
                        }
                        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                                || (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                                        && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP)) {
                            if (!fill()) {
                                throw new EOFException("the TCP stream ended during the handshake");
                            }
                        }
                    }
                    default -> throw new IllegalStateException("handshake status " + status);
                }
                status = engine.getHandshakeStatus();
            }
            return this;
        }

        // ------------------------------------------------------------ writing

        /**
         * Encrypts {@code length} bytes without sending them: as one TLS record when they fit in
         * one (the engine decides the limit, a little under 16 KiB), otherwise as several.
         *
         * @param plaintext the bytes
         * @param offset where they start
         * @param length how many
         * @return the records' ciphertext
         * @throws SSLException if the engine fails
         */
        byte[] seal(byte[] plaintext, int offset, int length) throws SSLException {
            ByteBuffer src = ByteBuffer.wrap(plaintext, offset, length);
            ByteArrayOutputStream records = new ByteArrayOutputStream(length + 64);
            do {
                ByteBuffer record = wrap(new ByteBuffer[] {src});
                records.write(record.array(), record.arrayOffset() + record.position(), record.remaining());
            } while (src.hasRemaining());
            return records.toByteArray();
        }

        /**
         * Encrypts {@code plaintext} as records of random sizes (1 to {@code maxRecord} bytes of
         * plaintext each) without sending them.
         *
         * @param plaintext the bytes
         * @param random the record sizes' source
         * @param maxRecord the largest record's plaintext
         * @return the records' ciphertext, back to back
         * @throws SSLException if the engine fails
         */
        byte[] sealInRecords(byte[] plaintext, Random random, int maxRecord) throws SSLException {
            ByteArrayOutputStream records = new ByteArrayOutputStream(plaintext.length + plaintext.length / 8 + 64);
            int offset = 0;
            while (offset < plaintext.length) {
                int n = Math.min(plaintext.length - offset, 1 + random.nextInt(maxRecord));
                records.writeBytes(seal(plaintext, offset, n));
                offset += n;
            }
            return records.toByteArray();
        }

        /**
         * Sends ciphertext (or any bytes) as they are.
         *
         * @param bytes the bytes
         * @throws IOException if the socket fails
         */
        void sendRaw(byte[] bytes) throws IOException {
            sendRaw(bytes, 0, bytes.length);
        }

        /**
         * Sends part of some ciphertext as it is.
         *
         * @param bytes the bytes
         * @param offset where to start
         * @param length how many
         * @throws IOException if the socket fails
         */
        void sendRaw(byte[] bytes, int offset, int length) throws IOException {
            synchronized (outLock) {
                out.write(bytes, offset, length);
                out.flush();
            }
        }

        /**
         * Sends ciphertext in random pieces of 1 to {@code maxChunk} bytes, each written on its own
         * (the kit's sockets have {@code TCP_NODELAY}, so records are split across segments).
         *
         * @param bytes the ciphertext
         * @param random the piece sizes' source
         * @param maxChunk the largest piece
         * @throws IOException if the socket fails
         */
        void sendRawChunked(byte[] bytes, Random random, int maxChunk) throws IOException {
            int offset = 0;
            while (offset < bytes.length) {
                int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxChunk));
                sendRaw(bytes, offset, n);
                offset += n;
            }
        }

        /**
         * Encrypts and sends {@code plaintext}.
         *
         * @param plaintext the bytes
         * @throws IOException if the engine or the socket fails
         */
        void write(byte[] plaintext) throws IOException {
            ByteBuffer src = ByteBuffer.wrap(plaintext);
            while (src.hasRemaining()) {
                send(wrap(new ByteBuffer[] {src}));
            }
        }

        /**
         * Sends a {@code close_notify} and leaves the TCP stream open.
         *
         * @throws IOException if the engine or the socket fails
         */
        void closeNotify() throws IOException {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                ByteBuffer alert = wrap(NOTHING);
                if (!alert.hasRemaining()) {
                    break;
                }
                send(alert);
            }
        }

        /**
         * Ends the TCP stream (FIN) without a {@code close_notify}, as a crashed or malicious peer
         * would; the socket can still read.
         *
         * @throws IOException if the socket fails
         */
        void endTcpOutputWithoutCloseNotify() throws IOException {
            synchronized (outLock) {
                socket.shutdownOutput();
            }
        }

        // ------------------------------------------------------------ reading

        /**
         * Reads decrypted bytes.
         *
         * @param dst where to put them
         * @param offset where to start
         * @param length the most to read
         * @return the count (at least 1), or -1 once a {@code close_notify} has arrived
         * @throws TruncatedException if the TCP stream ends before a {@code close_notify}
         * @throws IOException if the engine or the socket fails, or the socket's timeout passes
         */
        int read(byte[] dst, int offset, int length) throws IOException {
            while (true) {
                if (appIn.hasRemaining()) {
                    int n = Math.min(length, appIn.remaining());
                    appIn.get(dst, offset, n);
                    return n;
                }
                if (closeNotifyReceived) {
                    return -1;
                }
                SSLEngineResult result = unwrap();
                switch (result.getStatus()) {
                    case CLOSED -> closeNotifyReceived = true;
                    case BUFFER_UNDERFLOW -> fillOrTruncate();
                    case BUFFER_OVERFLOW -> throw new IllegalStateException("plaintext buffer too small");
                    case OK -> {
                        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                            runTasks();
                        }
                        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            send(wrap(NOTHING)); // a key update response
                        }
                        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                            fillOrTruncate();
                        }
                    }
                }
            }
        }

        /**
         * Reads exactly {@code size} decrypted bytes.
         *
         * @param size how many
         * @return the bytes
         * @throws IOException if the stream ends first, fails, or the socket's timeout passes
         */
        byte[] readExactly(int size) throws IOException {
            byte[] bytes = new byte[size];
            int done = 0;
            while (done < size) {
                int n = read(bytes, done, size - done);
                if (n < 0) {
                    throw new EOFException("close_notify after " + done + " of " + size + " bytes");
                }
                done += n;
            }
            return bytes;
        }

        /**
         * Reads decrypted bytes into {@code sink} until the stream ends, and says how it ended: a
         * {@code close_notify} followed by the TCP end-of-stream (with nothing between them) is
         * {@link Ending#CLEAN}.
         *
         * @param sink where the bytes go
         * @return how the stream ended
         * @throws IOException if bytes follow the {@code close_notify}, the engine fails, or the
         *     socket's timeout passes
         */
        Ending readToEnd(ByteArrayOutputStream sink) throws IOException {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = read(buffer, 0, buffer.length)) >= 0) {
                    sink.write(buffer, 0, n);
                }
                netIn.flip();
                int left = netIn.remaining();
                netIn.compact();
                if (left > 0 || in.read() >= 0) {
                    throw new IOException("bytes followed the close_notify instead of the TCP end-of-stream");
                }
                return Ending.CLEAN;
            } catch (TruncatedException e) {
                return Ending.TRUNCATED;
            } catch (SocketException e) {
                if (isReset(e)) {
                    return closeNotifyReceived ? Ending.CLOSE_NOTIFY_THEN_RESET : Ending.RESET;
                }
                throw e;
            }
        }

        // ------------------------------------------------------------ engine plumbing

        /** Wraps into a fresh buffer, in read mode. */
        private ByteBuffer wrap(ByteBuffer[] srcs) throws SSLException {
            ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            while (true) {
                SSLEngineResult result = engine.wrap(srcs, dst);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    dst = ByteBuffer.allocate(dst.capacity() * 2);
                    continue;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                return dst.flip();
            }
        }

        private void send(ByteBuffer bytes) throws IOException {
            synchronized (outLock) {
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                out.flush();
            }
            bytes.position(bytes.limit());
        }

        /** Unwraps one record of what {@code netIn} holds, appending its plaintext to {@code appIn}. */
        private SSLEngineResult unwrap() throws SSLException {
            while (true) {
                netIn.flip();
                appIn.compact();
                SSLEngineResult result;
                try {
                    result = engine.unwrap(netIn, appIn);
                } finally {
                    netIn.compact();
                    appIn.flip();
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                    bigger.put(appIn);
                    appIn = bigger.flip();
                    continue;
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                        && netIn.capacity() < engine.getSession().getPacketBufferSize()) {
                    ByteBuffer bigger = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                return result;
            }
        }

        /** Reads ciphertext into {@code netIn}; returns false at the TCP end-of-stream. */
        private boolean fill() throws IOException {
            if (!netIn.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                netIn.flip();
                bigger.put(netIn);
                netIn = bigger;
            }
            int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n < 0) {
                return false;
            }
            netIn.position(netIn.position() + n);
            return true;
        }

        private void fillOrTruncate() throws IOException {
            if (!fill()) {
                netIn.flip();
                int left = netIn.remaining();
                netIn.compact();
                throw new TruncatedException("the TCP stream ended without a close_notify"
                        + (left > 0 ? " (in the middle of a record, " + left + " bytes of it received)" : ""));
            }
        }

        private void runTasks() {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    /**
     * Returns whether an exception (or one of its causes) is a connection reset.
     *
     * @param e the exception
     * @return whether it says reset or broken pipe
     */
    static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("reset") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }
}
