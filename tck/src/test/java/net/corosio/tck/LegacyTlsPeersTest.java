package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.0/1.1 peer the kit uses for rule 8.6 really speaks TLS 1.1: its client and its server
 * agree on it. Otherwise a backend would pass 8.6 only because the old peer could not even start.
 */
class LegacyTlsPeersTest {

    @Test
    void theLegacyClientAndServerHandshakeOnTls11() throws Exception {
        Kit kit = Kit.open(new NoTransport(), TransportConfig.defaults(), HandlerExecutors.virtualThreads(), "legacy-tls");
        try {
            LegacyTlsPeers server = LegacyTlsPeers.server(kit);
            LegacyTlsPeers client = LegacyTlsPeers.client(kit, server.port());
            assertEquals("HANDSHAKE TLSv1.1", client.outcome());
            assertEquals("HANDSHAKE TLSv1.1", server.outcome());
        } finally {
            kit.close();
        }
    }
}
