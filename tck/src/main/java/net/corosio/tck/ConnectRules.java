package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import org.junit.jupiter.api.Assumptions;

/** The rules of SPEC.md section 2 connect and accept. */
public abstract class ConnectRules extends RuleGroup {

    /** A name in the reserved {@code .invalid} top-level domain (RFC 2606), which never resolves. */
    private static final String UNRESOLVABLE_HOST = "corosio-no-such-host.invalid";

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected ConnectRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 2.1

    @RequiredRule
    void required_2_1_connectionIsOpenAndItsAddressesMirrorTheAcceptedConnection() throws Exception {
        CompletableFuture<InetSocketAddress[]> accepted = new CompletableFuture<>();
        Server server = kit.serve(c -> {
            accepted.complete(new InetSocketAddress[] {c.localAddress(), c.remoteAddress()});
            Peer.echo(c);
        });
        Connection client = kit.connect(server.localAddress());

        assertTrue(client.isOpen(), "a connection returned by connect must be open");
        InetSocketAddress[] serverSide = Kit.await(accepted);
        assertEquals(serverSide[1], client.localAddress(),
                "the client's local address must be the accepted connection's remote address");
        assertEquals(serverSide[0], client.remoteAddress(),
                "the client's remote address must be the accepted connection's local address");
        assertEquals(server.localAddress().getPort(), client.remoteAddress().getPort(),
                "the client's remote port must be the server's port");
        assertNotEquals(0, client.localAddress().getPort(), "the client's local port must be the bound one, not 0");
        client.close();
    }

    @RequiredRule
    void required_2_1_clientAddressesAreWhatTheOracleServerSees() throws Exception {
        ServerSocket oracle = kit.oracleServer();
        Connection client = kit.connect(new InetSocketAddress(Kit.LOOPBACK, oracle.getLocalPort()));
        Socket accepted = kit.accept(oracle);

        assertTrue(client.isOpen(), "a connection returned by connect must be open");
        assertEquals(accepted.getRemoteSocketAddress(), client.localAddress(),
                "the client's local address must be the address the JDK server accepted from");
        assertEquals(accepted.getLocalSocketAddress(), client.remoteAddress(),
                "the client's remote address must be the JDK server's address");
    }

    @RequiredRule
    void required_2_1_acceptedAddressesAreWhatTheOracleClientSees() throws Exception {
        CompletableFuture<InetSocketAddress[]> accepted = new CompletableFuture<>();
        Server server = kit.serve(c -> {
            accepted.complete(new InetSocketAddress[] {c.localAddress(), c.remoteAddress()});
            Peer.echo(c);
        });
        Socket oracle = kit.oracleConnect(server.localAddress());

        InetSocketAddress[] serverSide = Kit.await(accepted);
        assertEquals(oracle.getLocalSocketAddress(), serverSide[1],
                "the accepted connection's remote address must be the JDK client's local address");
        assertEquals(oracle.getRemoteSocketAddress(), serverSide[0],
                "the accepted connection's local address must be the address the JDK client connected to");
        oracle.close(); // a clean end lets the echo handler return
    }

    // ------------------------------------------------------------------ 2.2

    @RequiredRule
    void required_2_2_connectingWhereNothingListensFailsWithRefused() throws Exception {
        InetSocketAddress nobody = unusedLoopbackAddress();
        Future<Connection> attempt = kit.fork("connect-refused", () -> kit.connect(nobody));
        TransportException e = Kit.expectFailure(ErrorKind.REFUSED, () -> Kit.await(attempt));
        assertEquals(0, kit.transport().metrics().openConnections(),
                () -> "a refused connect must not count a connection: " + kit.transport().metrics() + "; " + e);
    }

    // ------------------------------------------------------------------ 2.3

    @RequiredRule
    void required_2_3_connectingToAnUnresolvableHostFailsWithUnresolved() throws Exception {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved(UNRESOLVABLE_HOST, 9);
        Future<Connection> attempt = kit.fork("connect-unresolved", () -> kit.connect(unresolved));
        TransportException e = Kit.expectFailure(ErrorKind.UNRESOLVED, () -> Kit.await(attempt));
        assertEquals(0, kit.transport().metrics().openConnections(),
                () -> "an unresolved connect must not count a connection: " + kit.transport().metrics() + "; " + e);
    }

    // ------------------------------------------------------------------ 2.4

    @RequiredRule
    void required_2_4_connectThatDoesNotCompleteFailsWithConnectTimeoutOnTime() throws Exception {
        InetSocketAddress silent = fullListenQueue();
        LeakCheck before = LeakCheck.baseline();
        for (Duration timeout : Timing.TIMEOUTS) {
            ClientOptions options = ClientOptions.builder().connectTimeout(timeout).build();
            long start = System.nanoTime();
            Future<Connection> attempt = kit.fork("connect-timeout", () -> kit.connect(silent, options));
            Kit.expectFailure(ErrorKind.CONNECT_TIMEOUT, () -> Kit.await(attempt, timeout.plus(Kit.defaultWait())));
            Timing.assertOnTime(Timing.since(start), timeout, "the connect timeout");
        }
        // The oracle's sockets are still open here: only the backend's own sockets may be gone.
        try {
            Kit.eventually("the timed-out connects to leave no socket open",
                    () -> before.descriptorLeaks().stream().noneMatch(leak -> leak.contains("'socket'")));
        } catch (AssertionError leaked) {
            fail("a timed-out connect must leave no socket open, but there are: " + before.descriptorLeaks());
        }
        assertEquals(0, kit.transport().metrics().openConnections(),
                () -> "a timed-out connect must not count a connection: " + kit.transport().metrics());
    }

    /**
     * Makes a JDK listener whose accept queue is full, so that a further connect gets no answer: it
     * never accepts, has a backlog of 1, and the kit's own channels fill the queue. Everything is
     * closed when the test ends.
     */
    private InetSocketAddress fullListenQueue() throws IOException {
        ServerSocketChannel listener = kit.track(ServerSocketChannel.open());
        listener.bind(new InetSocketAddress(Kit.LOOPBACK, 0), 1);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        Selector selector = kit.track(Selector.open());
        Duration settle = Kit.scaled(Duration.ofMillis(500));
        for (int i = 0; i < 32; i++) {
            SocketChannel filler = kit.track(SocketChannel.open());
            filler.configureBlocking(false);
            if (filler.connect(address)) {
                continue;
            }
            SelectionKey key = filler.register(selector, SelectionKey.OP_CONNECT);
            // A connect the listener's queue cannot take gets no SYN-ACK: it stays pending.
            boolean answered = selector.select(settle.toMillis()) > 0;
            selector.selectedKeys().clear();
            key.cancel();
            selector.selectNow();
            if (!answered) {
                return address;
            }
            filler.finishConnect();
        }
        Assumptions.abort("the platform accepts connects beyond a listener's backlog of 1, so a connect cannot be "
                + "made to hang here");
        return address;
    }

    // ------------------------------------------------------------------ 2.5

    @RequiredRule
    void required_2_5_servingOnAnAddressAnotherSocketHoldsFailsWithAddressInUse() throws Exception {
        ServerSocket other = kit.oracleServer();
        InetSocketAddress taken = new InetSocketAddress(Kit.LOOPBACK, other.getLocalPort());
        TransportException e = Kit.expectFailure(ErrorKind.ADDRESS_IN_USE,
                () -> kit.track(kit.transport().serve(taken, kit.inKitMode(ServerOptions.defaults()), Peer::echo)));
        assertEquals(0, kit.transport().metrics().openServers(),
                () -> "a server that failed to bind must not be counted: " + kit.transport().metrics() + "; " + e);
        // The JDK listener is untouched: it still accepts.
        Socket client = kit.oracleConnect(taken);
        kit.accept(other);
        assertTrue(client.isConnected());
    }

    @RequiredRule
    void required_2_5_servingTwiceOnTheSameAddressFailsWithAddressInUse() throws Exception {
        Server first = kit.serve(Peer::echo);
        Kit.expectFailure(ErrorKind.ADDRESS_IN_USE,
                () -> kit.track(kit.transport().serve(first.localAddress(), kit.inKitMode(ServerOptions.defaults()), Peer::echo)));
        assertEquals(1, kit.transport().metrics().openServers(),
                () -> "only the first server may be counted: " + kit.transport().metrics());
        assertTrue(first.isAccepting(), "the first server must keep serving");
        Socket client = kit.oracleConnect(first.localAddress());
        byte[] ping = kit.randomBytes(64);
        client.getOutputStream().write(ping);
        assertArrayEquals(ping, Peer.readExactly(client, ping.length), "the first server must still echo");
        client.close();
    }

    // ------------------------------------------------------------------ 2.6

    @RequiredRule
    void required_2_6_serverOnPortZeroReportsItsPortAndServesManyConnectionsConcurrently() throws Exception {
        int clients = 24;
        CountDownLatch allRunning = new CountDownLatch(clients);
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
        Set<Connection> handlerConnections = ConcurrentHashMap.newKeySet();
        Server server = kit.serve(c -> {
            handlerThreads.add(Thread.currentThread());
            handlerConnections.add(c);
            allRunning.countDown();
            // Every handler holds on until all of them run at once.
            if (!release.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released the handler");
            }
            Peer.echo(c);
        });
        InetSocketAddress bound = server.localAddress();
        assertNotEquals(0, bound.getPort(), "a server asked for port 0 must report the port it bound");
        assertEquals(Kit.LOOPBACK, bound.getAddress(), "the server must report the address it was asked for");

        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sockets.add(kit.oracleConnect(bound));
        }
        boolean concurrent = allRunning.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS);
        release.countDown();
        assertTrue(concurrent, () -> "only " + (clients - allRunning.getCount()) + " of " + clients
                + " handlers ran at the same time");
        assertEquals(clients, handlerThreads.size(), "each connection's handler must run on its own thread");
        assertEquals(clients, handlerConnections.size(), "each handler must get its own connection");

        for (Socket socket : sockets) {
            byte[] message = kit.randomBytes(1 + kit.random().nextInt(4096));
            Peer.writeChunked(socket, message, kit.random(), 512);
            assertArrayEquals(message, Peer.readExactly(socket, message.length),
                    "each connection must be echoed by its own handler");
        }
        for (Socket socket : sockets) {
            socket.shutdownOutput();
            assertEquals(Peer.End.EOF, Peer.awaitEnd(socket), "a handler that returns closes its connection");
        }
    }

    @RequiredRule
    void required_2_6_serversOnPortZeroGetDifferentPorts() throws Exception {
        Server one = kit.serve(Peer::echo);
        Server two = kit.serve(Peer::echo);
        assertNotEquals(0, one.localAddress().getPort());
        assertNotEquals(0, two.localAddress().getPort());
        assertNotEquals(one.localAddress().getPort(), two.localAddress().getPort(),
                "two servers on port 0 must bind different ports");
        for (Server server : List.of(one, two)) {
            Connection c = kit.connect(server.localAddress());
            byte[] ping = kit.randomBytes(32);
            c.write(ByteBuffer.wrap(ping));
            assertArrayEquals(ping, Peer.readExactly(c, ping.length, kit.random()));
        }
    }

    // ------------------------------------------------------------------ 2.7

    @RequiredRule
    void required_2_7_connectionBeyondMaxConnectionsIsClosedUnservedAndCountedAsRejected() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ServerOptions options = ServerOptions.builder().maxConnections(1).build();
        Server server = kit.serve(options, c -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                firstRunning.countDown();
                if (!releaseFirst.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the test never released the first handler");
                }
            }
            c.write(ByteBuffer.wrap(new byte[] {(byte) run}));
        });

        Socket first = kit.oracleConnect(server.localAddress());
        assertTrue(firstRunning.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS),
                "the first connection's handler must run");

        Peer.End end;
        try {
            Socket second = kit.oracleConnect(server.localAddress());
            end = awaitEndOrFail(second, "a connection beyond maxConnections");
        } catch (SocketException e) {
            // The server may reset the rejected connection before the JDK's connect returns.
            if (e.getMessage() == null || !e.getMessage().contains("reset")) {
                throw e;
            }
            end = Peer.End.RESET;
        }
        Peer.End seen = end;
        assertEquals(1, runs.get(), () -> "the handler must not run for a connection beyond maxConnections; "
                + "the peer saw " + seen);
        assertTrue(seen == Peer.End.EOF || seen == Peer.End.RESET,
                () -> "the rejected connection must end with EOF or a reset, not " + seen);
        Kit.eventually("the server to count the rejected connection: " + server.metrics(),
                () -> server.metrics().rejected() >= 1);
        assertEquals(1, server.metrics().rejected(), () -> "one connection was rejected: " + server.metrics());
        assertEquals(2, server.metrics().accepted(), () -> "both connections were accepted, the rejected one "
                + "included: " + server.metrics());
        releaseFirst.countDown();
        assertEquals(1, readByteThenEnd(first), "the first connection must be served by the first handler run");
        Kit.eventually("the first handler to finish: " + server.metrics(), () -> server.metrics().active() == 0);

        Socket third = kit.oracleConnect(server.localAddress());
        assertEquals(2, readByteThenEnd(third), "once the running handler finished, a new connection must be "
                + "served");
        assertEquals(2, runs.get());
        Kit.eventually("the second handler to finish: " + server.metrics(), () -> server.metrics().active() == 0);
        assertEquals(new ServerMetrics(3, 0, 1, 0, 0, 0, 2), server.metrics(),
                "three connections accepted, one rejected, two handlers that each wrote a byte");
    }

    /** Waits for the peer to see its connection end, failing clearly if it does not. */
    private static Peer.End awaitEndOrFail(Socket socket, String what) throws IOException {
        try {
            return Peer.awaitEnd(socket);
        } catch (SocketTimeoutException e) {
            return fail(what + " was neither closed nor served within " + Kit.defaultWait());
        }
    }

    /**
     * Reads the one byte the 2.7 handler writes, expects end-of-stream, and closes the socket (so the
     * server's graceful close need not wait for the peer's end).
     */
    private static int readByteThenEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int value = in.read();
        assertTrue(value >= 0, "the handler must have written a byte before the stream ended");
        assertEquals(-1, in.read(), "the served connection must end after the handler returns");
        socket.close();
        return value;
    }

    // ------------------------------------------------------------------ 2.8

    @OptionalRule
    void optional_2_8_transportServesAndConnectsOverIpv6() throws Exception {
        kit.assumeCapability(Capability.IPV6);
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        ServerSocket oracle;
        try {
            oracle = kit.track(new ServerSocket(0, 50, ipv6Loopback));
        } catch (IOException e) {
            Assumptions.abort("this machine cannot bind the IPv6 loopback address ::1: " + e);
            return;
        }
        oracle.setSoTimeout((int) Kit.defaultWait().toMillis());

        // The backend serves on ::1 and a JDK client talks to it.
        Server server = kit.track(kit.transport().serve(new InetSocketAddress(ipv6Loopback, 0),
                kit.inKitMode(ServerOptions.defaults()), Peer::echo));
        assertInstanceOf(Inet6Address.class, server.localAddress().getAddress(), "the server must bind ::1");
        assertNotEquals(0, server.localAddress().getPort());
        Socket jdkClient = kit.oracleConnect(server.localAddress());
        byte[] ping = kit.randomBytes(1000);
        Peer.writeChunked(jdkClient, ping, kit.random(), 100);
        assertArrayEquals(ping, Peer.readExactly(jdkClient, ping.length), "echo over IPv6");

        // The backend connects to a JDK server on ::1.
        Connection client = kit.connect(new InetSocketAddress(ipv6Loopback, oracle.getLocalPort()));
        Socket accepted = kit.accept(oracle);
        assertEquals(accepted.getRemoteSocketAddress(), client.localAddress());
        assertEquals(accepted.getLocalSocketAddress(), client.remoteAddress());
        byte[] pong = kit.randomBytes(1000);
        client.write(ByteBuffer.wrap(pong));
        assertArrayEquals(pong, Peer.readExactly(accepted, pong.length), "client write over IPv6");
        Peer.writeChunked(accepted, ping, kit.random(), 100);
        assertArrayEquals(ping, Peer.readExactly(client, ping.length, kit.random()), "client read over IPv6");

        // And the backend talks to itself over ::1.
        Connection self = kit.connect(server.localAddress());
        assertInstanceOf(Inet6Address.class, self.localAddress().getAddress());
        self.write(ByteBuffer.wrap(pong));
        assertArrayEquals(pong, Peer.readExactly(self, pong.length, kit.random()), "backend to backend over IPv6");
    }

    // ------------------------------------------------------------------ helpers

    /** Returns a loopback address with a port that was free a moment ago and that nothing listens on. */
    private static InetSocketAddress unusedLoopbackAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, Kit.LOOPBACK)) {
            return new InetSocketAddress(Kit.LOOPBACK, probe.getLocalPort());
        }
    }
}
