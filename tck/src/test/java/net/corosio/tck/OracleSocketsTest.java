package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import org.junit.jupiter.api.Test;

/**
 * The oracle's sockets send each write at once ({@code TCP_NODELAY}) on both sides: the rules
 * about one byte per segment (3.1, 4.1, 8.3) mean nothing if Nagle merges the segments.
 */
class OracleSocketsTest {

    @Test
    void acceptedAndConnectedOracleSocketsHaveNoDelay() throws Exception {
        Kit kit = Kit.open(new NoTransport(), TransportConfig.defaults(), HandlerExecutors.virtualThreads(), "oracle-sockets");
        try {
            for (ServerSocket listener : new ServerSocket[] {kit.oracleServer(), Stalls.oracleServer(kit, 16 * 1024)}) {
                Socket client = kit.oracleConnect(new InetSocketAddress(Kit.LOOPBACK, listener.getLocalPort()));
                Socket accepted = kit.accept(listener);
                assertTrue(client.getTcpNoDelay(), "the oracle's connected socket must have TCP_NODELAY");
                assertTrue(accepted.getTcpNoDelay(), "the oracle's accepted socket must have TCP_NODELAY");
            }
        } finally {
            kit.close();
        }
    }
}
