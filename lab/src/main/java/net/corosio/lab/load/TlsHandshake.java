package net.corosio.lab.load;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import net.corosio.spi.TlsCodec;

/**
 * A client TLS handshake driven from readiness on a non-blocking socket, for loads that count
 * handshakes (churn over TLS). Every one is a full handshake: the engine is made without the peer's
 * host and port, which is what the JDK keys its client session cache on, so no session is ever
 * offered for resumption (and no host name is checked — the certificate chain still is, against
 * the lab's CA). The handshake's crypto runs on the generator's thread: the same client cost in
 * front of every server.
 */
final class TlsHandshake {

    private final SocketChannel channel;
    private final TlsCodec codec;

    /**
     * Prepares a handshake on a connected, non-blocking socket.
     *
     * @param channel the socket
     * @param tls the client's trust
     */
    TlsHandshake(SocketChannel channel, SSLContext tls) {
        this.channel = channel;
        SSLEngine engine = tls.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.codec = new TlsCodec(engine);
    }

    /**
     * Advances the handshake as far as the socket allows.
     *
     * @return 0 once the handshake is complete, else the readiness to wait for ({@link
     *     SelectionKey#OP_READ} or {@link SelectionKey#OP_WRITE})
     * @throws IOException if the handshake fails or the server closes
     */
    int advance() throws IOException {
        while (true) {
            switch (codec.handshake()) {
                case NEED_FLUSH -> {
                    ByteBuffer out = codec.outboundNet();
                    while (out.hasRemaining()) {
                        if (channel.write(out) == 0) {
                            return SelectionKey.OP_WRITE;
                        }
                    }
                }
                case NEED_INPUT -> {
                    int n = channel.read(codec.inboundNet());
                    if (n < 0) {
                        throw new EOFException("the server closed during the TLS handshake");
                    }
                    if (n == 0) {
                        return SelectionKey.OP_READ;
                    }
                }
                case NEED_TASKS -> codec.runDelegatedTasks();
                case DONE -> {
                    return 0;
                }
            }
        }
    }

    /**
     * Returns the wire for the application bytes, once {@link #advance()} has returned 0.
     *
     * @return the wire
     */
    TlsWire wire() {
        return TlsWire.established(channel, codec);
    }
}
