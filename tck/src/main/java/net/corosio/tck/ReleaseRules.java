package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TransportException;

/**
 * Rule 1.8 of SPEC.md: what a connection gives back when it ends while its transport stays open.
 * For each way a conversation can end, a few connections end that way (after one that warms the
 * backend up, so that what it starts once and keeps is not counted), and then the kit checks its
 * ledgers: descriptors, threads (virtual ones too), the transport's and server's counts, and the
 * buffers the application lent the backend.
 */
public abstract class ReleaseRules extends RuleGroup {

    /** How many connections end each way after the warm-up. */
    private static final int ROUNDS = 3;

    /** The size of each message of the conversations. */
    private static final int MESSAGE = 1024;

    /** A one-byte message that makes the handler throw (the echoed messages are longer). */
    private static final byte THROW = '!';

    /** How a conversation ends. */
    private enum Ending {
        /** The client closes; the handler reads end-of-stream and returns. */
        CLOSED,
        /** The client aborts; the handler's read fails with RESET. */
        ABORTED,
        /** The peer resets: a JDK client of the server, and a JDK server of a client. */
        RESET_BY_THE_PEER,
        /** Both sides time out (idle timeout). */
        TIMED_OUT,
        /** The handler throws after answering; the server aborts the connection. */
        HANDLER_THREW
    }

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected ReleaseRules(TransportKit owner) {
        super(owner);
    }

    @RequiredRule
    void required_1_8_connectionsThatCloseReleaseEverythingWhileTheTransportStaysOpen() throws Exception {
        assertEndingReleasesEverything(Ending.CLOSED);
    }

    @RequiredRule
    void required_1_8_connectionsThatAreAbortedReleaseEverythingWhileTheTransportStaysOpen() throws Exception {
        assertEndingReleasesEverything(Ending.ABORTED);
    }

    @RequiredRule
    void required_1_8_connectionsResetByThePeerReleaseEverythingWhileTheTransportStaysOpen() throws Exception {
        assertEndingReleasesEverything(Ending.RESET_BY_THE_PEER);
    }

    @RequiredRule
    void required_1_8_connectionsThatTimeOutReleaseEverythingWhileTheTransportStaysOpen() throws Exception {
        assertEndingReleasesEverything(Ending.TIMED_OUT);
    }

    @RequiredRule
    void required_1_8_connectionsWhoseHandlerThrewReleaseEverythingWhileTheTransportStaysOpen() throws Exception {
        assertEndingReleasesEverything(Ending.HANDLER_THREW);
    }

    private void assertEndingReleasesEverything(Ending ending) throws Exception {
        ConnectionOptions connection = ending == Ending.TIMED_OUT
                ? ConnectionOptions.builder().idleTimeout(Timing.TIMEOUTS.getFirst()).build()
                : ConnectionOptions.builder().readTimeout(Kit.defaultWait()).build();
        BufferLedger ledger = new BufferLedger();
        Server server = kit.serve(ServerOptions.builder().connection(connection).build(), c -> serve(c, ending, ledger));
        ServerSocket oracle = kit.oracleServer();
        String what = "connections ended " + ending.name().toLowerCase(Locale.ROOT).replace('_', ' ');

        converse(server, oracle, ending, connection, ledger); // the warm-up
        awaitIdle(server, 0, what + " (the warm-up)");
        LeakCheck before = LeakCheck.baseline();
        long open = kit.transport().metrics().openConnections();
        ledger.start();
        for (int i = 0; i < ROUNDS; i++) {
            converse(server, oracle, ending, connection, ledger);
        }
        awaitIdle(server, open, what);
        try {
            Kit.eventually(what + ": no descriptor or virtual thread to remain",
                    () -> before.leaksWhileRunning().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(what + " while the transport stays open must release their sockets and "
                    + "virtual threads, but after " + ROUNDS + " of them: " + before.leaksWhileRunning(), e);
        }
        ledger.assertAllReleased(what);
    }

    /** Waits until the server runs no handler and the transport counts {@code open} connections. */
    private void awaitIdle(Server server, long open, String what) {
        try {
            Kit.eventually(what + ": the counts to return", () -> server.metrics().active() == 0
                    && kit.transport().metrics().openConnections() == open);
        } catch (AssertionError e) {
            throw new AssertionError(what + " must leave the transport's and server's counts: the transport counts "
                    + kit.transport().metrics().openConnections() + " open connections (" + open + " before), the "
                    + "server " + server.metrics().active() + " active handlers", e);
        }
    }

    /** The handler: echoes until the conversation ends the way the test wants. */
    private static void serve(Connection c, Ending ending, BufferLedger ledger) throws Exception {
        ByteBuffer buffer = ledger.track(ByteBuffer.allocate(MESSAGE));
        try {
            while (c.read(buffer.clear()) >= 0) {
                if (ending == Ending.HANDLER_THREW && buffer.position() == 1 && buffer.get(0) == THROW) {
                    throw new IllegalStateException("kit: this handler fails on purpose (rule 1.8)");
                }
                c.write(buffer.flip());
            }
        } catch (TransportException e) {
            // RESET, IDLE_TIMEOUT: the end under test
        }
    }

    /** One conversation of the backend's client with the backend's server (and with the oracle). */
    private void converse(Server server, ServerSocket oracle, Ending ending, ConnectionOptions options,
            BufferLedger ledger) throws Exception {
        byte[] message = kit.randomBytes(MESSAGE);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == THROW) {
                message[i] = 0; // no piece of the message may look like the command to throw
            }
        }
        if (ending == Ending.RESET_BY_THE_PEER) {
            // A JDK client of the backend's server resets...
            Socket client = kit.oracleConnect(server.localAddress());
            client.getOutputStream().write(message);
            assertArrayEquals(message, Peer.readExactly(client, MESSAGE));
            Peer.reset(client);
            // ...and a JDK server of the backend's client resets.
            Connection c = kit.transport().connect(new InetSocketAddress(Kit.LOOPBACK, oracle.getLocalPort()),
                    ClientOptions.builder().connection(options).build());
            try {
                Socket accepted = kit.accept(oracle);
                accepted.getOutputStream().write(message);
                assertArrayEquals(message, readExactly(c, ledger));
                Peer.reset(accepted);
                Kit.expectFailure(ErrorKind.RESET, () -> c.read(ledger.track(ByteBuffer.allocate(16))));
            } finally {
                c.close();
            }
            return;
        }
        Connection c = kit.transport().connect(server.localAddress(), ClientOptions.builder().connection(options).build());
        try {
            c.write(ledger.track(ByteBuffer.wrap(message)));
            assertArrayEquals(message, readExactly(c, ledger));
            switch (ending) {
                case CLOSED -> c.close();
                case ABORTED -> c.abort();
                case TIMED_OUT -> {
                    // Whichever side's idle timer fires first ends the conversation.
                    String end = readOutcome(c, ledger);
                    assertTrue(List.of("failed with IDLE_TIMEOUT", "returned -1", "failed with RESET").contains(end),
                            () -> "an idle connection's read " + end);
                }
                case HANDLER_THREW -> {
                    // The echo is read; now the handler throws, and the server aborts the connection.
                    c.write(ledger.track(ByteBuffer.wrap(new byte[] {THROW})));
                    Kit.expectFailure(ErrorKind.RESET, () -> c.read(ledger.track(ByteBuffer.allocate(16))));
                }
                case RESET_BY_THE_PEER -> throw new AssertionError(ending);
            }
        } finally {
            c.close();
        }
    }

    private static String readOutcome(Connection c, BufferLedger ledger) {
        try {
            return "returned " + c.read(ledger.track(ByteBuffer.allocate(16)));
        } catch (TransportException e) {
            return "failed with " + e.kind();
        }
    }

    private static byte[] readExactly(Connection c, BufferLedger ledger) throws Exception {
        ByteBuffer all = ledger.track(ByteBuffer.allocate(MESSAGE));
        while (all.hasRemaining()) {
            assertTrue(c.read(all) > 0, "the echo ended early");
        }
        return all.array();
    }
}
