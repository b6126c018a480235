package net.corosio.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.Peer;
import net.corosio.tck.TestCertificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS handshake's delegated tasks (its public-key crypto, milliseconds each) run on virtual
 * threads, never on a selector thread, which meanwhile serves its other connections.
 */
class HandshakeTasksOffLoopTest {

    private final TestCertificates certs = TestCertificates.get();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theServersHandshakeTasksRunOffTheSelector(String protocol) throws Exception {
        List<Thread> taskThreads = new CopyOnWriteArrayList<>();
        TlsConfig tls = TlsConfig.builder(TaskRecordingContext.wrap(certs.serverContext(), taskThreads))
                .protocols(protocol).build();
        try (Transport transport = new NioTransportProvider().create(TransportConfig.defaults());
                Server server = transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        ServerOptions.builder().tls(tls).build(), Peer::echo);
                SSLSocket client = (SSLSocket) certs.clientContext().getSocketFactory()
                        .createSocket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.setEnabledProtocols(new String[] {protocol});
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            assertArrayEquals(hello, Peer.readFully(client.getInputStream(), hello.length));
        }
        assertFalse(taskThreads.isEmpty(), "the engine delegated no task: nothing was shown");
        for (Thread thread : taskThreads) {
            assertTrue(thread.isVirtual(), "a delegated task ran on " + thread);
        }
    }
}
