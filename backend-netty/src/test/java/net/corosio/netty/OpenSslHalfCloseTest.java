package net.corosio.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.3 half-close on BoringSSL, many times over: after the client's {@code shutdownOutput}
 * (its {@code close_notify}), the server's whole reply must arrive before the end-of-stream. Netty's
 * OpenSSL engine marks every unwrap after its own {@code close_notify} as CLOSED, so SslHandler
 * announces the peer's close early; trusting that lost the reply about one run in four. The kit's
 * rule 8.16 meets the race only sometimes, so this test repeats it.
 */
class OpenSslHalfCloseTest {

    private static final int ROUNDS = 20;
    private static final int REPLY = 7_000;

    @Test
    void theWholeReplyArrivesAfterShutdownOutput() throws Exception {
        TestCertificates certs = TestCertificates.get();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TransportConfig openssl = TransportConfig.defaults().withProperty(TlsEngineFactory.PROPERTY, "openssl");
        TlsConfig tls = TlsConfig.builder(certs.clientContext()).protocols("TLSv1.3")
                .serverName(TestCertificates.SERVER_NAME).build();
        try (Transport transport = new NettyTransportProvider().create(openssl);
                SSLServerSocket server = (SSLServerSocket) certs.serverContext().getServerSocketFactory()
                        .createServerSocket(0, 50, loopback)) {
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            for (int round = 0; round < ROUNDS; round++) {
                CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> replyAfterTheEnd(server));
                try (Connection client = transport.connect(
                        new InetSocketAddress(loopback, server.getLocalPort()), ClientOptions.builder().tls(tls).build())) {
                    client.write(ByteBuffer.allocate(3_000));
                    client.shutdownOutput();
                    peer.join();
                    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
                    int total = 0;
                    for (int n; (n = client.read(buffer.clear())) >= 0; ) {
                        total += n;
                    }
                    assertEquals(REPLY, total, "round " + round + ": the reply bytes before the end-of-stream");
                }
            }
        }
    }

    /** Reads the request to its close_notify, then replies and ends with close_notify and FIN. */
    private static void replyAfterTheEnd(SSLServerSocket server) {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // the request
            }
            OutputStream out = socket.getOutputStream();
            out.write(new byte[REPLY]);
            out.flush();
            socket.shutdownOutput();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
