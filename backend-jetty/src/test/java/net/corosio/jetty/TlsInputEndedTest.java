package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import net.corosio.Connection;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * Once the TLS input has ended, Jetty's {@code SslConnection} closes the whole connection at the
 * next network read-readiness; {@link TlsLayer} passes the readiness on without that close. Here
 * a TLS 1.3 handler reads the request to its {@code close_notify}, answers, half-closes — which
 * makes Jetty wait for network input again, and the peer's FIN is there — and then must still see
 * a connection that is open and at end-of-stream, not one reset underneath.
 */
class TlsInputEndedTest {

    @Test
    void afterThePeersCloseNotifyTheHandlerAnswersHalfClosesAndStillSeesEndOfStream() throws Exception {
        TestCertificates certs = TestCertificates.get();
        Random random = new Random(4);
        byte[] request = new byte[3_000];
        byte[] reply = new byte[5_000];
        random.nextBytes(request);
        random.nextBytes(reply);
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        ServerOptions options = ServerOptions.builder()
                .tls(TlsConfig.builder(certs.serverContext()).protocols("TLSv1.3").build())
                .build();
        try (Transport transport = new JettyTransportProvider().create(TransportConfig.defaults())) {
            Server server = transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options, c -> {
                try {
                    byte[] got = readToEnd(c);
                    c.write(ByteBuffer.wrap(reply));
                    c.shutdownOutput();
                    Thread.sleep(300); // time for the read-readiness that the peer's FIN causes
                    seen.complete(List.of(
                            Arrays.equals(request, got) ? "request intact" : "request differs",
                            "read after the end: " + c.read(ByteBuffer.allocate(1)),
                            "open: " + c.isOpen()));
                } catch (Exception e) {
                    seen.completeExceptionally(e);
                }
            });
            try (SSLSocket client = (SSLSocket) certs.clientContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                client.setSoTimeout(10_000);
                client.getOutputStream().write(request);
                client.shutdownOutput(); // close_notify, then FIN
                assertArrayEquals(reply, client.getInputStream().readAllBytes());
                assertEquals(List.of("request intact", "read after the end: -1", "open: true"),
                        seen.get(10, TimeUnit.SECONDS));
            }
            server.close();
        }
    }

    private static byte[] readToEnd(Connection c) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (c.read(buffer.clear()) >= 0) {
            sink.write(buffer.array(), 0, buffer.position());
        }
        return sink.toByteArray();
    }
}
