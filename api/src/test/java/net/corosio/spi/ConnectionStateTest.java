package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The lifecycle every connection shares: sticky failures, owner closes, the read guard, interrupts. */
class ConnectionStateTest {

    private static final String LABEL = "test 127.0.0.1:5000 <- 127.0.0.1:41000";

    private final AtomicInteger failureCallbacks = new AtomicInteger();
    private final ConnectionState state = new ConnectionState(LABEL, failureCallbacks::incrementAndGet);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static TransportException expect(ErrorKind kind, Executable call) {
        TransportException e = assertThrows(TransportException.class, call);
        assertEquals(kind, e.kind(), e::getMessage);
        return e;
    }

    @Test
    void aNewStateIsOpenAndUsable() throws Exception {
        assertTrue(state.isOpen());
        assertNull(state.failureKind());
        assertNull(state.terminalException("read"));
        state.checkUsable("read");
        state.checkWritable("write");
        assertEquals(LABEL, state.label());
        assertEquals(0, failureCallbacks.get());
    }

    @Test
    void theFirstFailureWinsAndEveryLaterCallReportsIt() {
        assertTrue(state.fail(ErrorKind.IDLE_TIMEOUT, "idle for too long", null));
        assertFalse(state.fail(ErrorKind.RESET, "reset", null), "a later failure is not recorded");
        assertEquals(ErrorKind.IDLE_TIMEOUT, state.failureKind());
        assertFalse(state.isOpen());

        expect(ErrorKind.IDLE_TIMEOUT, () -> state.checkUsable("read"));
        expect(ErrorKind.IDLE_TIMEOUT, () -> state.checkWritable("write"));
        expect(ErrorKind.IDLE_TIMEOUT, state::beginRead);
        TransportException later = state.failure("write", new IOException("Broken pipe"), ErrorKind.WRITE_TIMEOUT);
        assertEquals(ErrorKind.IDLE_TIMEOUT, later.kind(), "the native error after the failure is reported as the failure");
        assertEquals(ErrorKind.IDLE_TIMEOUT, state.failureKind());
        assertEquals(1, failureCallbacks.get());
    }

    @Test
    void aTerminalNativeErrorIsRecordedAndBecomesSticky() {
        TransportException first = state.failure("read", new SocketException("Connection reset"), ErrorKind.READ_TIMEOUT);
        assertEquals(ErrorKind.RESET, first.kind());
        assertTrue(first.getMessage().contains("read") && first.getMessage().contains(LABEL), first::getMessage);
        assertEquals(ErrorKind.RESET, state.failureKind());

        TransportException second = state.failure("write", new AsynchronousCloseException(), ErrorKind.WRITE_TIMEOUT);
        assertEquals(ErrorKind.RESET, second.kind());
        assertTrue(second.getMessage().startsWith("RESET: write failed on " + LABEL), second::getMessage);
        expect(ErrorKind.RESET, () -> state.checkWritable("shutdownOutput"));
        assertEquals(1, failureCallbacks.get());
    }

    @Test
    void aNonTerminalErrorIsNotRecorded() throws Exception {
        TransportException timeout = state.failure("read", new SocketTimeoutException("Read timed out"), ErrorKind.READ_TIMEOUT);
        assertEquals(ErrorKind.READ_TIMEOUT, timeout.kind());
        assertTrue(state.isOpen());
        assertNull(state.failureKind());
        state.checkUsable("read");
        assertEquals(0, failureCallbacks.get());
        assertThrows(IllegalArgumentException.class, () -> state.fail(ErrorKind.READ_TIMEOUT, "not terminal", null));
        assertThrows(IllegalArgumentException.class, () -> state.fail(ErrorKind.OUTPUT_SHUTDOWN, "not terminal", null));
    }

    @Test
    void aCloseByTheOwnerTurnsLaterErrorsIntoClosed() {
        assertTrue(state.markClosed());
        assertFalse(state.markClosed(), "only the first close counts");
        assertTrue(state.isClosedByOwner());
        assertFalse(state.isOpen());

        assertEquals(ErrorKind.CLOSED,
                state.failure("read", new SocketException("Connection reset"), ErrorKind.READ_TIMEOUT).kind());
        assertEquals(ErrorKind.CLOSED,
                state.failure("read", new SocketTimeoutException(), ErrorKind.READ_TIMEOUT).kind());
        expect(ErrorKind.CLOSED, () -> state.checkUsable("read"));
        expect(ErrorKind.CLOSED, () -> state.checkWritable("write"));
        assertEquals(ErrorKind.CLOSED, state.terminalException("shutdownOutput").kind());
        assertEquals(0, failureCallbacks.get(), "the owner's close releases the socket itself");
    }

    @Test
    void aCloseByTheOwnerWinsOverAnEarlierFailure() {
        state.fail(ErrorKind.RESET, "reset", null);
        state.markClosed();
        expect(ErrorKind.CLOSED, () -> state.checkUsable("read"));
        assertEquals(ErrorKind.CLOSED, state.failure("write", new IOException("Broken pipe"), ErrorKind.WRITE_TIMEOUT).kind());
    }

    @Test
    void aFailureAfterTheOwnersCloseDoesNotRunTheCallback() {
        state.markClosed();
        assertTrue(state.fail(ErrorKind.IDLE_TIMEOUT, "timer fired late", null));
        assertEquals(0, failureCallbacks.get());
    }

    @Test
    void aSocketClosedUnderneathIsRecordedAsClosed() {
        TransportException e = state.failure("read", new AsynchronousCloseException(), ErrorKind.READ_TIMEOUT);
        assertEquals(ErrorKind.CLOSED, e.kind());
        assertEquals(ErrorKind.CLOSED, state.failureKind());
        assertEquals(1, failureCallbacks.get());
    }

    @Test
    void theFailureCallbackRunsExactlyOnceUnderContention() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        AtomicInteger winners = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            ErrorKind kind = i % 2 == 0 ? ErrorKind.RESET : ErrorKind.IDLE_TIMEOUT;
            racers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 100; k++) {
                    if (state.fail(kind, "race", null)) {
                        winners.incrementAndGet();
                    }
                    state.failure("read", new IOException("Broken pipe"), ErrorKind.READ_TIMEOUT);
                }
            }));
        }
        start.countDown();
        for (Thread racer : racers) {
            assertTrue(racer.join(java.time.Duration.ofSeconds(10)));
        }
        assertEquals(1, winners.get());
        assertEquals(1, failureCallbacks.get());
    }

    @Test
    void aSecondConcurrentReadIsMisuseAndEndReadReleasesTheGuard() throws Exception {
        state.beginRead();
        IllegalStateException e = assertThrows(IllegalStateException.class, state::beginRead);
        assertTrue(e.getMessage().contains("another read") && e.getMessage().contains(LABEL), e::getMessage);
        assertTrue(state.isOpen(), "misuse leaves the connection as it was");
        state.endRead();
        state.beginRead();
        state.endRead();
    }

    @Test
    void aReadRefusedBecauseOfTheStateDoesNotHoldTheGuard() {
        state.fail(ErrorKind.RESET, "reset", null);
        expect(ErrorKind.RESET, state::beginRead);
        expect(ErrorKind.RESET, state::beginRead); // not IllegalStateException: the first attempt released the guard
    }

    @Test
    void writesAfterShutdownOutputFailButReadingContinues() throws Exception {
        assertTrue(state.markOutputShutdown());
        assertFalse(state.markOutputShutdown(), "only the first half-close counts");
        assertTrue(state.isOutputShutdown());
        TransportException e = expect(ErrorKind.OUTPUT_SHUTDOWN, () -> state.checkWritable("write"));
        assertTrue(e.getMessage().contains("write") && e.getMessage().contains(LABEL), e::getMessage);
        assertTrue(state.isOpen(), "a half-closed connection is open");
        state.checkUsable("read");
        state.beginRead();
        state.endRead();
        assertNull(state.failureKind(), "OUTPUT_SHUTDOWN is not terminal");
        assertEquals(0, failureCallbacks.get());
    }

    @Test
    void anInterruptedThreadIsCancelledAndTheConnectionFails() {
        Thread.currentThread().interrupt();
        try {
            TransportException e = expect(ErrorKind.CANCELLED, () -> state.checkUsable("read"));
            assertTrue(e.getMessage().contains("read"), e::getMessage);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
        } finally {
            Thread.interrupted();
        }
        assertEquals(ErrorKind.CANCELLED, state.failureKind());
        assertFalse(state.isOpen());
        assertEquals(1, failureCallbacks.get(), "cancelling aborts the connection");
        expect(ErrorKind.CANCELLED, () -> state.checkWritable("write"));
    }

    @Test
    void anInterruptedReadIsCancelledAndReleasesTheGuard() {
        Thread.currentThread().interrupt();
        try {
            expect(ErrorKind.CANCELLED, state::beginRead);
        } finally {
            Thread.interrupted();
        }
        expect(ErrorKind.CANCELLED, state::beginRead);
    }

    @Test
    void aNativeErrorOnAnInterruptedThreadIsCancelled() {
        Thread.currentThread().interrupt();
        TransportException e;
        try {
            e = state.failure("write", new IOException("Broken pipe"), ErrorKind.WRITE_TIMEOUT);
        } finally {
            Thread.interrupted();
        }
        assertEquals(ErrorKind.CANCELLED, e.kind());
        assertEquals(ErrorKind.CANCELLED, state.failureKind());
    }

    @Test
    void theNativeErrorIsKeptAsTheCause() {
        SocketException cause = new SocketException("Connection reset");
        assertSame(cause, state.failure("read", cause, ErrorKind.READ_TIMEOUT).getCause());
    }

    @Test
    void markersReportTheFirstCallOnly() {
        assertTrue(state.markReleased());
        assertFalse(state.markReleased());
        assertFalse(state.isInputEnded());
        state.markInputEnded();
        assertTrue(state.isInputEnded());
        assertTrue(state.isOpen(), "end-of-stream does not close the connection");
    }
}
