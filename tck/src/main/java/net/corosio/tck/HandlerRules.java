package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.ShutdownOutcome;
import net.corosio.TransportException;

/** The rules of SPEC.md section 9, handlers and threading. */
public abstract class HandlerRules extends RuleGroup {

    /** Slack allowed beyond a deadline the backend must meet (clock, scheduling, a loaded machine). */
    private static final Duration SLACK = Kit.scaled(Duration.ofSeconds(2));

    /** Clock slack allowed below a "no sooner than" bound. */
    private static final long EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected HandlerRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 9.1

    @RequiredRule
    void required_9_1_concurrentHandlersRunConcurrentlyEachOnItsOwnVirtualThreadByDefault() throws Exception {
        int connections = 16;
        // Every handler waits until all of them are running: this only passes if they run concurrently.
        CyclicBarrier allRunning = new CyclicBarrier(connections);
        Duration barrierWait = Kit.defaultWait().dividedBy(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Server server = kit.serve(c -> {
            Thread me = Thread.currentThread();
            threads.add(me);
            if (!me.isVirtual()) {
                problems.add("a handler ran on platform thread '" + me.getName() + "' with the default executor");
            }
            byte verdict = 'Y';
            try {
                allRunning.await(barrierWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | BrokenBarrierException e) {
                verdict = 'N';
                problems.add("handler on '" + me.getName() + "' did not see all " + connections
                        + " handlers running at once within " + barrierWait + " (" + allRunning.getNumberWaiting()
                        + " were waiting): " + e);
            }
            c.write(ByteBuffer.wrap(new byte[] {verdict}));
        });

        List<Socket> peers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            peers.add(kit.oracleConnect(server.localAddress()));
        }
        for (Socket peer : peers) {
            assertEquals('Y', Peer.readExactly(peer, 1)[0], () -> "handlers did not run concurrently: " + problems);
        }
        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(connections, threads.size(), "each concurrent handler must run on its own thread");
    }

    // ------------------------------------------------------------------ 9.2

    @RequiredRule
    void required_9_2_whenTheHandlerReturnsThePeerReadsEverythingItWroteThenEndOfStream() throws Exception {
        byte[] response = kit.randomBytes(512 * 1024 + kit.random().nextInt(512 * 1024));
        List<Integer> chunks = randomChunks(response.length, 64 * 1024);
        byte[] request = kit.randomBytes(1 + kit.random().nextInt(1000));
        Server server = kit.serve(c -> {
            readFully(c, request.length);
            int offset = 0;
            for (int chunk : chunks) {
                c.write(ByteBuffer.wrap(response, offset, chunk));
                offset += chunk;
            }
            // returns without closing: the server must close gracefully, flushing what is queued
        });

        // A small receive window makes the server still hold most of the response when the handler returns.
        Socket peer = kit.oracleConnect(server.localAddress(), 8 * 1024);
        Peer.writeChunked(peer, request, kit.random(), 100);
        byte[] received = Peer.readToEnd(peer);
        assertEquals(response.length, received.length, "the peer must read every byte the handler wrote, then EOF");
        assertArrayEquals(response, received);
        Kit.eventually("the handler's connection to be finished", () -> server.metrics().active() == 0);
    }

    @RequiredRule
    void required_9_2_aHandlerThatWritesNothingAndReturnsGivesThePeerEndOfStream() throws Exception {
        Server server = kit.serve(c -> readFully(c, 1));
        Socket peer = kit.oracleConnect(server.localAddress());
        peer.getOutputStream().write('x');
        assertEquals(Peer.End.EOF, Peer.awaitEnd(peer), "a handler that returns must have its connection closed gracefully");
    }

    // ------------------------------------------------------------------ 9.3

    @RequiredRule
    void required_9_3_aHandlerThatThrowsHasItsConnectionAbortedIsCountedAndTheServerCarriesOn() throws Exception {
        byte fail = 'F';
        Server server = kit.serve(c -> {
            ByteBuffer first = ByteBuffer.allocate(1);
            if (c.read(first) == 1 && first.get(0) == fail) {
                throw new IllegalStateException("kit: this handler fails on purpose (rule 9.3)");
            }
            c.write(first.flip());
            Peer.echo(c);
        });

        // A conversation in progress before and after the failure of another handler. The first byte
        // of a conversation decides whether its handler fails, so the others must not start with it.
        Socket survivor = kit.oracleConnect(server.localAddress());
        byte[] opening = kit.randomBytes(1000);
        opening[0] = 'E';
        echoRoundTrip(survivor, opening);

        Socket failing = kit.oracleConnect(server.localAddress());
        failing.getOutputStream().write(fail);
        assertEquals(Peer.End.RESET, Peer.awaitEnd(failing),
                "the connection of a handler that threw must be aborted: the peer must see a reset");
        Kit.eventually("handlerFailures to count the handler that threw", () -> server.metrics().handlerFailures() == 1);

        echoRoundTrip(survivor, kit.randomBytes(1000));
        Socket next = kit.oracleConnect(server.localAddress());
        byte[] nextOpening = kit.randomBytes(5000);
        nextOpening[0] = 'E';
        echoRoundTrip(next, nextOpening);
        assertTrue(server.isAccepting(), "a failing handler must not stop the server");

        survivor.shutdownOutput();
        next.shutdownOutput();
        assertEquals(Peer.End.EOF, Peer.awaitEnd(survivor));
        assertEquals(Peer.End.EOF, Peer.awaitEnd(next));
        Kit.eventually("every handler to finish", () -> server.metrics().active() == 0);
        assertEquals(1, server.metrics().handlerFailures(), "only the handler that threw is a failure");
    }

    @RequiredRule
    void required_9_3_aHandlerThatThrowsAfterWritingPartOfAResponseGivesThePeerAResetNotEndOfStream() throws Exception {
        byte[] partial = kit.randomBytes(64 * 1024 + kit.random().nextInt(64 * 1024));
        Server server = kit.serve(c -> {
            readFully(c, 1);
            c.write(ByteBuffer.wrap(partial));
            throw new IllegalStateException("kit: this handler fails on purpose halfway through its response (rule 9.3)");
        });
        Socket peer = kit.oracleConnect(server.localAddress());
        peer.getOutputStream().write('x');
        // A clean end-of-stream here would make the peer take the partial response for a complete one.
        assertEquals(Peer.End.RESET, Peer.awaitEnd(peer),
                "a handler that threw after writing part of its response must have its connection aborted: the peer "
                        + "must see a reset, not the part and then end-of-stream");
        Kit.eventually("handlerFailures to count the handler that threw", () -> server.metrics().handlerFailures() == 1);
        Kit.eventually("the failed handler to be finished", () -> server.metrics().active() == 0);
    }

    // ------------------------------------------------------------------ 9.4

    @RequiredRule
    void required_9_4_shutdownStopsAcceptingAtOnceAndLetsRunningHandlersFinish() throws Exception {
        Duration grace = Kit.scaled(Duration.ofSeconds(5));
        byte[] last = kit.randomBytes(64);
        CountDownLatch handlerRunning = new CountDownLatch(1);
        AtomicInteger handlerRuns = new AtomicInteger();
        Server server = kit.serve(c -> {
            handlerRuns.incrementAndGet();
            handlerRunning.countDown();
            // mid-conversation: waits for the oracle's last message, answers it, and returns
            byte[] message = readFully(c, last.length);
            c.write(ByteBuffer.wrap(message));
        });
        InetSocketAddress address = server.localAddress();
        Socket peer = kit.oracleConnect(address);
        assertTrue(handlerRunning.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS), "the handler never ran");

        Future<ShutdownOutcome> shutdown = kit.fork("shutdown", () -> server.shutdown(grace));
        Kit.eventually("the server to stop accepting once shutdown has started", () -> !server.isAccepting());
        // isAccepting() may turn false a moment before the listening socket is closed, so allow a brief
        // moment — far shorter than the grace period, during which the handler is still running.
        Kit.eventually("new connections to be refused while shutdown waits for the handler",
                Kit.scaled(Duration.ofSeconds(1)), () -> connectIsRefused(address));
        assertFalse(shutdown.isDone(), "shutdown must wait for the running handler, which has not finished");

        peer.getOutputStream().write(last);
        assertArrayEquals(last, Peer.readExactly(peer, last.length), "the running handler must be allowed to finish");
        assertEquals(Peer.End.EOF, Peer.awaitEnd(peer), "the drained connection must be closed gracefully");
        assertEquals(ShutdownOutcome.GRACEFUL, Kit.await(shutdown));
        assertEquals(1, handlerRuns.get(), "no handler may run for a connection attempted after shutdown began");
        assertEquals(0, server.metrics().active());
        assertFalse(server.isAccepting());
    }

    @RequiredRule
    void required_9_4_onceShutdownHasReturnedNewConnectsAreRefused() throws Exception {
        // Several servers, because a listening socket that is closed lazily lets only some connects through.
        for (int i = 0; i < 10; i++) {
            Server server = kit.serve(Peer::echo);
            InetSocketAddress address = server.localAddress();
            Socket peer = kit.oracleConnect(address);
            echoRoundTrip(peer, kit.randomBytes(100));
            peer.shutdownOutput();
            assertEquals(Peer.End.EOF, Peer.awaitEnd(peer));
            Kit.eventually("the handler to finish", () -> server.metrics().active() == 0);

            assertEquals(ShutdownOutcome.GRACEFUL, server.shutdown(Kit.scaled(Duration.ofSeconds(5))));
            try (Socket probe = new Socket()) {
                IOException e = assertThrows(IOException.class,
                        () -> probe.connect(address, (int) Kit.defaultWait().toMillis()),
                        () -> "a connect to " + address + " got through after shutdown() returned");
                assertTrue(e instanceof ConnectException,
                        () -> "a connect after shutdown() returned must be refused, not accepted and then ended: " + e);
            }
        }
    }

    // ------------------------------------------------------------------ 9.5

    @RequiredRule
    void required_9_5_handlersThatOutliveTheGracePeriodAreAbortedAndShutdownIsForced() throws Exception {
        Duration grace = Kit.scaled(Duration.ofMillis(300));
        AtomicReference<Object> readResult = new AtomicReference<>();
        CountDownLatch handlerReading = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            handlerReading.countDown();
            try {
                readResult.set(c.read(ByteBuffer.allocate(16))); // the oracle never sends anything
            } catch (TransportException e) {
                readResult.set(e);
            } finally {
                handlerDone.countDown();
            }
        });
        Socket peer = kit.oracleConnect(server.localAddress());
        assertTrue(handlerReading.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS), "the handler never ran");

        long start = System.nanoTime();
        ShutdownOutcome outcome = Kit.await(kit.fork("shutdown", () -> server.shutdown(grace)));
        long elapsed = System.nanoTime() - start;

        assertEquals(ShutdownOutcome.FORCED, outcome);
        assertTrue(elapsed >= grace.toNanos() - EARLY_NANOS,
                () -> "shutdown gave up after " + Duration.ofNanos(elapsed) + ", before the grace period of " + grace);
        assertTrue(elapsed <= grace.plus(SLACK).toNanos(),
                () -> "shutdown took " + Duration.ofNanos(elapsed) + ", more than the grace period " + grace + " plus " + SLACK);
        assertTrue(handlerDone.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS),
                "the handler's blocked read was not released by the forced shutdown");
        TransportException failure = assertInstanceOfTransportException(readResult.get());
        assertEquals(ErrorKind.CLOSED, failure.kind(), () -> "the handler's blocked read must fail with CLOSED: " + failure);
        assertEquals(Peer.End.RESET, Peer.awaitEnd(peer),
                "a forced shutdown aborts the connections it gives up on: the peer must see a reset");
    }

    // ------------------------------------------------------------------ 9.6

    @RequiredRule
    void required_9_6_concurrentAndLaterShutdownsReturnTheFirstOutcomeAndCloseDoesNothingMore() throws Exception {
        Duration grace = Kit.scaled(Duration.ofMillis(300));
        CountDownLatch handlerReading = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            handlerReading.countDown();
            c.read(ByteBuffer.allocate(16)); // blocks until the shutdown aborts the connection
        });
        Socket peer = kit.oracleConnect(server.localAddress());
        assertTrue(handlerReading.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS), "the handler never ran");

        record Returned(ShutdownOutcome outcome, long atNanos) {}
        CountDownLatch go = new CountDownLatch(1);
        long start = System.nanoTime();
        List<Future<Returned>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(kit.fork("shutdown-" + i, () -> {
                go.await();
                ShutdownOutcome outcome = server.shutdown(grace);
                return new Returned(outcome, System.nanoTime());
            }));
        }
        go.countDown();
        for (Future<Returned> call : calls) {
            Returned returned = Kit.await(call);
            assertEquals(ShutdownOutcome.FORCED, returned.outcome(), "every concurrent shutdown returns the first one's outcome");
            long took = returned.atNanos() - start;
            assertTrue(took >= grace.toNanos() - EARLY_NANOS, () -> "a concurrent shutdown returned after "
                    + Duration.ofNanos(took) + ", before the first call's outcome could be known (grace " + grace + ")");
        }
        assertEquals(Peer.End.RESET, Peer.awaitEnd(peer),
                "a forced shutdown aborts the connections it gives up on: the peer must see a reset");
        Kit.eventually("the aborted handler to finish", () -> server.metrics().active() == 0);

        // Nothing runs now, so a fresh shutdown would be GRACEFUL: a later call must report the first outcome.
        assertEquals(ShutdownOutcome.FORCED, server.shutdown(Kit.defaultWait()), "a later shutdown returns the first outcome");
        var before = server.metrics();
        long closeStart = System.nanoTime();
        server.close();
        long closeTook = System.nanoTime() - closeStart;
        assertTrue(closeTook < SLACK.toNanos(), () -> "close() after shutdown took " + Duration.ofNanos(closeTook));
        assertEquals(before, server.metrics(), "close() after shutdown must do nothing more");
        assertFalse(server.isAccepting());
        assertEquals(ShutdownOutcome.FORCED, server.shutdown(Duration.ZERO));
    }

    // ------------------------------------------------------------------ 9.7

    @RequiredRule
    void required_9_7_aCallersHandlerExecutorRunsTheHandlersAndIsNotShutDownByTheServer() throws Exception {
        Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "kit-9.7-handler-pool-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            poolThreads.add(thread);
            return thread;
        });
        try {
            Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
            Server server = kit.serve(ServerOptions.builder().handlerExecutor(pool).build(), c -> {
                handlerThreads.add(Thread.currentThread());
                Peer.echo(c);
            });
            // Two conversations at once, so both pool threads are in use.
            Socket first = kit.oracleConnect(server.localAddress());
            Socket second = kit.oracleConnect(server.localAddress());
            echoRoundTrip(first, kit.randomBytes(2000));
            echoRoundTrip(second, kit.randomBytes(2000));
            first.shutdownOutput();
            second.shutdownOutput();
            assertEquals(Peer.End.EOF, Peer.awaitEnd(first));
            assertEquals(Peer.End.EOF, Peer.awaitEnd(second));
            Kit.eventually("the handlers to finish", () -> server.metrics().active() == 0);

            assertEquals(2, handlerThreads.size(), "each concurrent handler on its own thread");
            for (Thread thread : handlerThreads) {
                assertTrue(poolThreads.contains(thread),
                        () -> "handler ran on '" + thread.getName() + "', not on a thread of the given executor");
            }

            server.close();
            assertFalse(pool.isShutdown(), "the server must not shut down an executor it was given");
            Future<String> stillWorks = pool.submit(() -> Thread.currentThread().getName());
            assertNotNull(stillWorks.get(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS),
                    "the kit's executor did not stop");
        }
    }

    // ------------------------------------------------------------------ 9.8

    @RequiredRule
    void required_9_8_aConnectionTheExecutorRejectsIsAbortedAndCountedAndTheServerCarriesOn() throws Exception {
        AtomicInteger offered = new AtomicInteger();
        // Rejects the first handler it is offered, as a saturated executor would, and runs the rest.
        Executor rejectsFirst = task -> {
            if (offered.getAndIncrement() == 0) {
                throw new RejectedExecutionException("kit: this executor rejects its first task on purpose (rule 9.8)");
            }
            HandlerExecutors.virtualThreads().execute(task);
        };
        AtomicInteger handlerRuns = new AtomicInteger();
        Server server = kit.serve(ServerOptions.builder().handlerExecutor(rejectsFirst).build(), c -> {
            handlerRuns.incrementAndGet();
            Peer.echo(c);
        });

        assertEquals(Peer.End.RESET, connectAndAwaitEnd(server.localAddress()),
                "a connection whose handler the executor rejected must be aborted: the peer must see a reset");
        Kit.eventually("the rejected connection to be counted", () -> server.metrics().rejected() == 1);
        assertEquals(0, handlerRuns.get(), "a rejected connection's handler must not run");

        Socket served = kit.oracleConnect(server.localAddress());
        echoRoundTrip(served, kit.randomBytes(3000));
        served.shutdownOutput();
        assertEquals(Peer.End.EOF, Peer.awaitEnd(served));
        assertTrue(server.isAccepting(), "a rejection must not stop the server");
        assertEquals(1, handlerRuns.get());
        assertEquals(1, server.metrics().rejected());
        assertEquals(2, server.metrics().accepted());
        Kit.eventually("no handler to be counted active", () -> server.metrics().active() == 0);
    }

    // ------------------------------------------------------------------ 9.9

    /** How long a connection of 9.9's arrivals waits to be accepted, or closed, before it gives up. */
    private static final Duration ARRIVAL_WAIT = Kit.scaled(Duration.ofMillis(250));

    @RequiredRule
    void required_9_9_noHandlerStartsAfterShutdownHasReturnedWhileConnectionsKeepArriving() throws Exception {
        for (int round = 0; round < 3; round++) {
            Queue<Long> starts = new ConcurrentLinkedQueue<>();
            Server server = kit.serve(c -> starts.add(System.nanoTime()));
            InetSocketAddress address = server.localAddress();
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<Integer>> arrivals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                arrivals.add(kit.fork("arrivals-" + i, () -> {
                    int made = 0;
                    while (!stop.get()) {
                        try (Socket socket = new Socket()) {
                            // Short: once the listener is gone or its queue is full, waiting for
                            // the kernel's retries would only slow the test down.
                            socket.connect(address, (int) ARRIVAL_WAIT.toMillis());
                            socket.setSoTimeout((int) ARRIVAL_WAIT.toMillis());
                            socket.setSoLinger(true, 0);
                            made++;
                            // One connection in flight per arrival thread: the handler returns at
                            // once, so the server's close comes next. Arrivals race the shutdown
                            // without piling up a backlog for it to drain.
                            socket.getInputStream().read();
                        } catch (IOException e) {
                            // refused, or reset, once the server is shutting down
                        }
                    }
                    return made;
                }));
            }
            Kit.eventually("connections to keep arriving", () -> starts.size() >= 10);
            ShutdownOutcome outcome = server.shutdown(Kit.defaultWait());
            long returned = System.nanoTime();
            // Not a synchronisation: arrivals go on a while, for a handler that starts late to show.
            Thread.sleep(Kit.scaled(Duration.ofMillis(100)).toMillis());
            stop.set(true);
            for (Future<Integer> arrival : arrivals) {
                Kit.await(arrival);
            }
            long late = starts.stream().filter(start -> start - returned > 0).count();
            assertEquals(0, late, () -> late + " handlers started after shutdown() returned " + outcome
                    + " (of " + starts.size() + ")");
            assertEquals(ShutdownOutcome.GRACEFUL, outcome, "handlers that return at once let shutdown end gracefully");
            assertEquals(0, server.metrics().active(), "no handler runs once shutdown() has returned");
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Integer> randomChunks(int total, int maxChunk) {
        List<Integer> chunks = new ArrayList<>();
        int left = total;
        while (left > 0) {
            int chunk = Math.min(left, 1 + kit.random().nextInt(maxChunk));
            chunks.add(chunk);
            left -= chunk;
        }
        return chunks;
    }

    /** Reads exactly {@code size} bytes in a handler, failing on end-of-stream. */
    private static byte[] readFully(Connection connection, int size) throws TransportException, IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (connection.read(buffer) < 0) {
                throw new java.io.EOFException("end-of-stream after " + buffer.position() + " of " + size + " bytes");
            }
        }
        return buffer.array();
    }

    private void echoRoundTrip(Socket peer, byte[] bytes) throws IOException {
        Peer.writeChunked(peer, bytes, kit.random(), 512);
        assertArrayEquals(bytes, Peer.readExactly(peer, bytes.length), "the echo must return what was sent");
    }

    /**
     * Connects an oracle socket and waits for the server to end the connection. A server that
     * aborts a connection as soon as it accepts it may reset it before the client's connect has
     * returned, so a reset during connect counts as the end too.
     */
    private Peer.End connectAndAwaitEnd(InetSocketAddress address) throws IOException {
        Socket socket;
        try {
            socket = kit.oracleConnect(address);
        } catch (SocketException e) {
            if (e instanceof ConnectException || !String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
            return Peer.End.RESET;
        }
        return Peer.awaitEnd(socket);
    }

    /**
     * Tries a plain connect: true if refused, false if it got through, or was accepted and then
     * reset while the listening socket was closing.
     */
    private static boolean connectIsRefused(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            probe.connect(address, (int) Kit.defaultWait().toMillis());
            probe.setSoLinger(true, 0);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return false;
            }
            throw new UncheckedIOException("connecting to " + address + " failed otherwise than by refusal", e);
        } catch (IOException e) {
            throw new UncheckedIOException("connecting to " + address + " failed otherwise than by refusal", e);
        }
    }

    private static TransportException assertInstanceOfTransportException(Object result) {
        if (result instanceof TransportException e) {
            return e;
        }
        throw new AssertionError("the handler's blocked read must fail with CLOSED, but it returned " + result);
    }
}
