package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.BufferLease;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code receive} and {@code write(BufferLease)} through the bridge, against a scripted backend. */
class BridgedLendingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TimerThread timer = new TimerThread("bridged-lending-test-timer");

    @AfterEach
    void stopTimer() {
        timer.close();
    }

    private ScriptedConnection connection() {
        return new ScriptedConnection(ConnectionOptions.defaults(), timer);
    }

    private static String text(BufferLease lease) {
        ByteBuffer view = lease.buffer().duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void aReceiveLendsTheBackendsChunkItselfReadOnly() throws Exception {
        ScriptedConnection c = connection();
        TrackedChunk chunk = new TrackedChunk("hello");
        c.loopSide().received(chunk);
        BufferLease lease = c.receive();
        assertEquals("hello", text(lease));
        assertTrue(lease.buffer().isReadOnly());
        assertSame(lease.buffer(), lease.buffer(), "one view, so consuming from it sticks");
        assertEquals(1, c.leasesOut());
        lease.close();
        lease.close();
        assertTrue(chunk.released, "given back once, however often closed");
        assertEquals(0, c.leasesOut());
    }

    @Test
    void readsAndReceivesMayBeMixedAndKeepTheOrder() throws Exception {
        ScriptedConnection c = connection();
        c.loopSide().received(new TrackedChunk("hello"));
        c.loopSide().received(new TrackedChunk("world"));
        ByteBuffer two = ByteBuffer.allocate(2);
        assertEquals(2, c.read(two));
        try (BufferLease rest = c.receive()) {
            assertEquals("llo", text(rest), "a receive lends what the read left of the chunk");
        }
        ByteBuffer all = ByteBuffer.allocate(16);
        assertEquals(5, c.read(all));
        assertEquals("world", new String(all.array(), 0, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void aWaitingReceiverIsWokenByTheLoopAndTheEndIsNullForGood() throws Exception {
        ScriptedConnection c = connection();
        CompletableFuture<String> receiver = CompletableFuture.supplyAsync(() -> {
            try (BufferLease lease = c.receive()) {
                return text(lease);
            } catch (TransportException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        c.loopSide().received(new TrackedChunk("ping"));
        assertEquals("ping", receiver.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        c.loopSide().ended();
        assertNull(c.receive());
        assertNull(c.receive(), "end-of-stream stays");
        assertEquals(-1, c.read(ByteBuffer.allocate(1)), "for reads too");
    }

    @Test
    void aLeaseUsedAfterItWasGivenBackFailsNamingTheConnection() throws Exception {
        ScriptedConnection c = connection();
        c.loopSide().received(new TrackedChunk("x"));
        BufferLease lease = c.receive();
        lease.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, lease::buffer);
        assertTrue(e.getMessage().contains(c.toString()) && e.getMessage().contains("given back"), e::getMessage);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> c.write(lease));
        assertTrue(again.getMessage().contains(c.toString()), again::getMessage);
        assertNull(c.calls.poll(), "nothing was written");
    }

    @Test
    void aWrittenLeaseIsHandedOverWholeAndGivenBackOnceTheLoopIsDone() throws Exception {
        ScriptedConnection c = connection();
        c.takesLeases = true;
        TrackedChunk chunk = new TrackedChunk("echo me");
        c.loopSide().received(chunk);
        BufferLease lease = c.receive();
        c.write(lease);
        assertEquals("owned:7", c.nextCall());
        assertEquals("flush", c.nextCall());
        IllegalStateException e = assertThrows(IllegalStateException.class, lease::buffer);
        assertTrue(e.getMessage().contains("handed to a write"), e::getMessage);
        lease.close(); // does nothing: the write owns it
        assertFalse(chunk.released, "the backend holds it until its bytes are out");
        assertEquals(1, c.leasesOut(), "and it counts as lent until then");
        c.owned.getFirst().release();
        c.loopSide().flushed(7);
        assertTrue(chunk.released);
        assertEquals(0, c.leasesOut());
    }

    @Test
    void aWrittenLeaseIsCopiedAndGivenBackAtOnceWhereTheBackendCannotTakeIt() throws Exception {
        ScriptedConnection c = connection();
        TrackedChunk chunk = new TrackedChunk("copy me");
        c.loopSide().received(chunk);
        c.write(c.receive());
        assertEquals("write:7", c.nextCall());
        assertTrue(chunk.released);
        assertEquals(0, c.leasesOut());
    }

    @Test
    void onlyWhatTheApplicationLeftBetweenPositionAndLimitIsWritten() throws Exception {
        ScriptedConnection c = connection();
        c.takesLeases = true;
        c.loopSide().received(new TrackedChunk("0123456789"));
        BufferLease lease = c.receive();
        lease.buffer().position(2).limit(7);
        c.write(lease);
        assertEquals("owned:5", c.nextCall());
        ByteBuffer bytes = c.owned.getFirst().chunk().bytes();
        assertEquals("23456", StandardCharsets.US_ASCII.decode(bytes.duplicate()).toString());
        c.owned.getFirst().release();
    }

    @Test
    void aLeaseWrittenToAClosedConnectionIsGivenBackAtOnce() throws Exception {
        ScriptedConnection c = connection();
        c.takesLeases = true;
        TrackedChunk chunk = new TrackedChunk("late");
        c.loopSide().received(chunk);
        BufferLease lease = c.receive();
        c.abort();
        assertEquals(ErrorKind.CLOSED, assertThrows(TransportException.class, () -> c.write(lease)).kind());
        assertTrue(chunk.released);
        assertEquals(0, c.leasesOut());
        assertThrows(IllegalStateException.class, lease::buffer, "the failed write took it over all the same");
    }

    @Test
    void aLeaseOutlivesItsConnection() throws Exception {
        ScriptedConnection c = connection();
        TrackedChunk chunk = new TrackedChunk("kept");
        c.loopSide().received(chunk);
        BufferLease lease = c.receive();
        c.loopSide().failed(new SocketException("Connection reset"));
        c.loopSide().closed();
        assertEquals(ErrorKind.RESET, assertThrows(TransportException.class, c::receive).kind());
        assertEquals("kept", text(lease), "still readable after the reset");
        assertFalse(chunk.released);
        lease.close();
        assertTrue(chunk.released);
    }
}
