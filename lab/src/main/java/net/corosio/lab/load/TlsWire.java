package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import net.corosio.TlsConfig;
import net.corosio.spi.TlsCodec;
import net.corosio.spi.TlsEngines;

/**
 * A TLS wire for the load generator, on the API's shared {@link TlsCodec} (the buffer work only;
 * the I/O here is the generator's own). The handshake runs blocking, before the load starts.
 */
final class TlsWire implements Wire {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final TlsCodec codec;
    private final ByteBuffer[] single = new ByteBuffer[1];

    private TlsWire(SocketChannel channel, TlsCodec codec) {
        this.channel = channel;
        this.codec = codec;
    }

    /**
     * Wraps a connection whose handshake is complete.
     *
     * @param channel the socket
     * @param codec the codec that made the handshake
     * @return the wire
     */
    static TlsWire established(SocketChannel channel, TlsCodec codec) {
        return new TlsWire(channel, codec);
    }

    /**
     * Sends {@code close_notify} if the socket takes it now, so the server sees a clean TLS end.
     * Best effort: the caller closes the socket next.
     */
    void closeNotifyQuietly() {
        try {
            if (flush()) {
                codec.closeOutbound();
                flush();
            }
        } catch (IOException e) {
            // the socket is closed next either way
        }
    }

    static TlsWire handshake(SocketChannel channel, SSLContext context, InetSocketAddress target) throws IOException {
        SSLEngine engine = TlsEngines.client(TlsConfig.builder(context).build(), target);
        TlsCodec codec = new TlsCodec(engine);
        while (true) {
            switch (codec.handshake()) {
                case NEED_INPUT -> {
                    if (channel.read(codec.inboundNet()) < 0) {
                        throw new EOFException("the server closed during the TLS handshake");
                    }
                }
                case NEED_FLUSH -> {
                    ByteBuffer out = codec.outboundNet();
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                }
                case NEED_TASKS -> codec.runDelegatedTasks();
                case DONE -> {
                    return new TlsWire(channel, codec);
                }
            }
        }
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            int n = codec.read(dst);
            if (n > 0) {
                return n;
            }
            if (n == TlsCodec.CLOSED) {
                return -1;
            }
            if (n == TlsCodec.NEED_WRAP) {
                if (!flush()) {
                    return 0; // the engine's answer waits for the socket: the writer side flushes it
                }
                codec.wrap(NOTHING);
                flush();
                continue;
            }
            int got = channel.read(codec.inboundNet());
            if (got <= 0) {
                return got;
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!flush() || !src.hasRemaining()) {
            return 0;
        }
        single[0] = src;
        int consumed = codec.wrap(single);
        single[0] = null;
        flush();
        return consumed;
    }

    @Override
    public boolean hasPendingOutput() {
        return codec.outboundNet().hasRemaining();
    }

    /** Returns whether the outbound buffer is empty afterwards. */
    private boolean flush() throws IOException {
        ByteBuffer out = codec.outboundNet();
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                return false;
            }
        }
        return true;
    }
}
