package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge's semantics against a scripted backend ({@link ScriptedConnection}), no sockets involved. */
class BridgedConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TimerThread timer = new TimerThread("bridged-connection-test-timer");

    @AfterEach
    void stopTimer() {
        timer.close();
    }

    private ScriptedConnection connection(ConnectionOptions options) {
        return new ScriptedConnection(options, timer);
    }

    private static InboundQueue.Chunk chunk(String text) {
        return InboundQueue.Chunk.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String read(ScriptedConnection c, int size) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        int n = c.read(buffer);
        return n < 0 ? null : new String(buffer.array(), 0, n, StandardCharsets.US_ASCII);
    }

    private static <T> CompletableFuture<T> inVirtualThread(ThrowingSupplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Test
    void aReadTakesWhatTheLoopReceivedWithoutWaiting() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        c.loopSide().received(chunk("hel"));
        c.loopSide().received(chunk("lo"));
        assertEquals("hello", read(c, 16), "everything queued that fits, in order");
    }

    @Test
    void aParkedReaderIsWokenByTheLoop() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        CompletableFuture<String> reader = inVirtualThread(() -> read(c, 16));
        c.loopSide().received(chunk("ping"));
        assertEquals("ping", reader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void theEndComesAfterTheDataAndStays() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        c.loopSide().received(chunk("last"));
        c.loopSide().ended();
        assertEquals("last", read(c, 16));
        assertEquals(null, read(c, 16));
        assertEquals(null, read(c, 16));
        assertTrue(c.isOpen(), "half-closed is open");
    }

    @Test
    void anAbnormalEndComesAfterTheDataAndIsTerminal() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        c.loopSide().received(chunk("tail"));
        c.loopSide().endedWithFailure(new TransportException(ErrorKind.TLS_TRUNCATED, "no close_notify"));
        assertEquals("tail", read(c, 16));
        assertEquals(ErrorKind.TLS_TRUNCATED, assertThrows(TransportException.class, () -> read(c, 16)).kind());
        assertEquals("abort", c.nextCall(), "a terminal failure aborts the socket");
        assertEquals(ErrorKind.TLS_TRUNCATED, assertThrows(TransportException.class,
                () -> c.write(ByteBuffer.wrap(new byte[1]))).kind(), "and is sticky");
    }

    @Test
    void aResetFromTheLoopFailsTheBlockedReaderAndEveryLaterCall() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        CompletableFuture<String> reader = inVirtualThread(() -> read(c, 16));
        c.loopSide().failed(new SocketException("Connection reset"));
        Exception e = assertThrows(Exception.class, () -> reader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ErrorKind.RESET, ((TransportException) e.getCause()).kind());
        assertEquals("abort", c.nextCall());
        assertFalse(c.isOpen());
        c.loopSide().closed();
        assertEquals(ErrorKind.RESET, assertThrows(TransportException.class, () -> read(c, 1)).kind());
    }

    @Test
    void aWriteIsHandedOverInSlicesAndWaitsAtTheHighWaterMark() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.builder().writeWaterMarks(8, 16).build());
        byte[] bytes = new byte[40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        CompletableFuture<Void> writer = inVirtualThread(() -> {
            c.write(ByteBuffer.wrap(bytes));
            return null;
        });
        assertEquals("write:16", c.nextCall());
        assertEquals("flush", c.nextCall(), "at the high water mark the writer flushes and waits");
        assertFalse(writer.isDone());
        c.loopSide().flushed(16);
        assertEquals("write:16", c.nextCall(), "below the low water mark it goes on");
        assertEquals("flush", c.nextCall());
        c.loopSide().flushed(16);
        assertEquals("write:8", c.nextCall());
        assertEquals("flush", c.nextCall(), "the last slice is flushed too");
        writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        byte[] handed = new byte[40];
        c.written.flip().get(handed);
        assertArrayEquals(bytes, handed, "every byte, in order");
    }

    @Test
    void aFullQueuePausesReadingUntilTheReaderDrainsIt() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.builder().inboundLimit(8).build());
        c.loopSide().received(chunk("0123456789"));
        assertTrue(c.loopSide().isReadPaused());
        assertEquals("interest:off", c.nextCall());
        assertEquals("0123456789", read(c, 16));
        assertFalse(c.loopSide().isReadPaused());
        assertEquals("interest:on", c.nextCall());
    }

    @Test
    void aReadTimesOutAndTheConnectionStaysUsable() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.builder().readTimeout(Duration.ofMillis(50)).build());
        assertEquals(ErrorKind.READ_TIMEOUT, assertThrows(TransportException.class, () -> read(c, 4)).kind());
        assertTrue(c.isOpen());
        c.loopSide().received(chunk("late"));
        assertEquals("late", read(c, 4));
    }

    @Test
    void anInterruptedReaderCancelsAndAborts() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        CompletableFuture<ErrorKind> kind = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                read(c, 4);
                kind.complete(null);
            } catch (TransportException e) {
                kind.complete(e.kind());
            }
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        reader.interrupt();
        assertEquals(ErrorKind.CANCELLED, kind.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(stillInterrupted.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(c.awaitCall("abort", WAIT));
    }

    @Test
    void closeEndsTheOutputLingersForThePeersEndThenCloses() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        CompletableFuture<Void> closing = inVirtualThread(() -> {
            c.close();
            return null;
        });
        assertEquals("shutdownOutput", c.nextCall(), "our end-of-stream goes first");
        c.loopSide().received(chunk("the peer still talks")); // discarded while lingering
        c.loopSide().ended();
        assertEquals("close", c.nextCall(), "the peer ended: the socket may go");
        assertFalse(closing.isDone(), "close waits for the socket's release");
        c.loopSide().closed();
        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(ErrorKind.CLOSED, assertThrows(TransportException.class, () -> read(c, 1)).kind());
        assertTrue(c.state().isReleased());
    }

    @Test
    void aCloseThatCannotFinishInTimeAborts() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.builder().closeTimeout(Duration.ofMillis(200)).build());
        long start = System.nanoTime();
        c.close(); // the scripted loop never reports the peer's end nor the socket's release
        assertTrue(System.nanoTime() - start < WAIT.toNanos());
        assertEquals("shutdownOutput", c.nextCall());
        assertEquals("abort", c.nextCall(), "the close timeout passed: reset");
    }

    @Test
    void theSocketsReleaseUnderAnOpenConnectionIsAReset() throws Exception {
        ScriptedConnection c = connection(ConnectionOptions.defaults());
        c.loopSide().received(chunk("unread"));
        c.loopSide().closed();
        assertFalse(c.isOpen());
        assertEquals(ErrorKind.RESET, assertThrows(TransportException.class, () -> read(c, 8)).kind(),
                "a socket closed underneath the API is never a clean end");
        c.loopSide().closed(); // idempotent
    }
}
