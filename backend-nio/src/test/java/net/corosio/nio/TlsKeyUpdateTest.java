package net.corosio.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.Peer;
import net.corosio.tck.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 post-handshake messages the kit does not provoke: a peer's {@code KeyUpdate} asking for
 * ours in return. The engine then owes a message before it reads on ({@link NioTls} stops reading,
 * has the outbound side send it, and resumes), and data must keep flowing both ways, intact. The
 * JDK's {@code SSLSocket.startHandshake()} on an established TLS 1.3 connection sends such a key
 * update.
 */
class TlsKeyUpdateTest {

    private static final int ROUNDS = 8;
    private static final int SIZE = 40_000; // a few records per round

    private final TestCertificates certs = TestCertificates.get();

    @Test
    void aServerAnswersTheClientsKeyUpdatesAndKeepsEchoing() throws Exception {
        try (Transport transport = new NioTransportProvider().create(TransportConfig.defaults());
                Server server = transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        ServerOptions.builder().tls(TlsConfig.builder(certs.serverContext()).protocols("TLSv1.3").build()).build(),
                        Peer::echo);
                SSLSocket client = (SSLSocket) certs.clientContext().getSocketFactory()
                        .createSocket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            client.setEnabledProtocols(new String[] {"TLSv1.3"});
            client.startHandshake();
            Random random = new Random(11);
            for (int round = 0; round < ROUNDS; round++) {
                byte[] data = new byte[SIZE];
                random.nextBytes(data);
                client.getOutputStream().write(data);
                assertArrayEquals(data, Peer.readFully(client.getInputStream(), SIZE), "round " + round);
                client.startHandshake(); // a KeyUpdate that requests one back
            }
        }
    }

    @Test
    void aClientAnswersTheServersKeyUpdatesAndKeepsReadingAndWriting() throws Exception {
        try (Transport transport = new NioTransportProvider().create(TransportConfig.defaults());
                SSLServerSocket listener = (SSLServerSocket) certs.serverContext().getServerSocketFactory()
                        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            CompletableFuture<Void> oracle = CompletableFuture.runAsync(() -> {
                try (SSLSocket peer = (SSLSocket) listener.accept()) {
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    for (int round = 0; round < ROUNDS; round++) {
                        out.write(Peer.readFully(in, SIZE)); // echo
                        peer.startHandshake(); // a KeyUpdate that requests one back
                    }
                    peer.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ClientOptions options = ClientOptions.builder()
                    .tls(TlsConfig.builder(certs.clientContext()).serverName(TestCertificates.SERVER_NAME).build())
                    .build();
            try (Connection connection = transport.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), options)) {
                Random random = new Random(13);
                for (int round = 0; round < ROUNDS; round++) {
                    byte[] data = new byte[SIZE];
                    random.nextBytes(data);
                    connection.write(ByteBuffer.wrap(data));
                    assertArrayEquals(data, Peer.readExactly(connection, SIZE, random), "round " + round);
                }
            }
            oracle.get(30, TimeUnit.SECONDS);
        }
    }
}
