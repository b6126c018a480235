package net.corosio.lab.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import net.corosio.tck.TestCertificates;

/**
 * One cell of the interop matrix: a client of one backend against a server of another, plain or
 * TLS: 256 KiB echoed in uneven writes, a half-close answered by end-of-stream, a clean close.
 */
public final class InteropCheck {

    private static final int SIZE = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private InteropCheck() {}

    /**
     * Runs the check.
     *
     * @param client the client's backend
     * @param server the server's backend
     * @param tls whether to use TLS (certificates generated for the run)
     * @return {@code null} if it passed, else what went wrong
     */
    public static String run(TransportProvider client, TransportProvider server, boolean tls) {
        ConnectionOptions timeouts = ConnectionOptions.builder().readTimeout(TIMEOUT).writeTimeout(TIMEOUT).build();
        TestCertificates certs = TestCertificates.get();
        ServerOptions serverOptions = ServerOptions.builder().connection(timeouts)
                .tls(tls ? TlsConfig.builder(certs.serverContext()).build() : null).build();
        ClientOptions clientOptions = ClientOptions.builder().connection(timeouts)
                .tls(tls ? TlsConfig.builder(certs.clientContext()).build() : null).build();
        try (Transport serving = server.create(TransportConfig.defaults());
                Transport connecting = client.create(TransportConfig.defaults())) {
            Server echo = serving.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serverOptions,
                    c -> {
                        ByteBuffer buffer = ByteBuffer.allocate(8192);
                        while (c.read(buffer.clear()) >= 0) {
                            c.write(buffer.flip());
                        }
                        c.shutdownOutput();
                    });
            byte[] sent = new byte[SIZE];
            new Random(SIZE).nextBytes(sent);
            try (Connection c = connecting.connect(echo.localAddress(), clientOptions)) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        for (int offset = 0, n; offset < SIZE; offset += n) {
                            n = Math.min(SIZE - offset, 1 + offset % 7919);
                            c.write(ByteBuffer.wrap(sent, offset, n));
                        }
                        c.shutdownOutput();
                    } catch (IOException e) {
                        // the reader below reports the truncated echo
                    }
                });
                ByteBuffer received = ByteBuffer.allocate(SIZE + 1);
                while (c.read(received) >= 0) {
                    if (!received.hasRemaining()) {
                        return "the server echoed more than it was sent";
                    }
                }
                writer.join(TIMEOUT);
                if (received.position() != SIZE || !Arrays.equals(sent, 0, SIZE, received.array(), 0, SIZE)) {
                    return "the echo differs: " + received.position() + " of " + SIZE + " bytes";
                }
            }
            echo.close();
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
