package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.WritePendingException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * The outbound queue on a fake end point that, like Jetty's, takes one write at a time: writes
 * complete at once or later on another thread, and the queue must keep order, never start a
 * second write, never recurse, count every byte and give every buffer back.
 */
class OutboundTest {

    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
    private final FakeEndPoint sink = new FakeEndPoint();
    private final Recorder actions = new Recorder();

    @Test
    void writesThatCompleteAtOnceDrainInOrderWithoutRecursion() {
        Outbound outbound = new Outbound(sink.endPoint(), pool, false, actions);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(3_000)];
            random.nextBytes(bytes);
            expected.writeBytes(bytes);
            outbound.add(ByteBuffer.wrap(bytes));
            if (i % 7 == 0) {
                outbound.drain();
            }
        }
        outbound.drain();
        assertArrayEquals(expected.toByteArray(), sink.received());
        assertEquals(expected.size(), actions.flushed.get());
        assertEquals(1, sink.maxDepth.get(), "a write completing at once must not start the next one inside it");
        assertTrue(pool.getLeaks().isEmpty(), pool::dumpLeaks);
    }

    @Test
    void writesThatCompleteLaterOnAnotherThreadKeepOneWritePendingAndTheOrder() throws Exception {
        sink.completeLater(Executors.newSingleThreadExecutor());
        Outbound outbound = new Outbound(sink.endPoint(), pool, true, actions);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(2);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(5_000)];
            random.nextBytes(bytes);
            expected.writeBytes(bytes);
            outbound.add(ByteBuffer.wrap(bytes));
            outbound.drain();
        }
        eventually(() -> actions.flushed.get() == expected.size());
        sink.stop();
        assertArrayEquals(expected.toByteArray(), sink.received());
        assertTrue(pool.getLeaks().isEmpty(), pool::dumpLeaks);
    }

    @Test
    void aHalfCloseAndACloseRunAfterEverythingQueuedBeforeThem() throws Exception {
        sink.completeLater(Executors.newSingleThreadExecutor());
        Outbound outbound = new Outbound(sink.endPoint(), pool, false, actions);
        byte[] first = new byte[70_000];
        new Random(3).nextBytes(first);
        outbound.add(ByteBuffer.wrap(first));
        outbound.shutdownOutput();
        outbound.close();
        eventually(() -> actions.events.size() == 2);
        sink.stop();
        assertEquals(List.of("shutdownOutput after " + first.length, "close after " + first.length), actions.events);
        assertArrayEquals(first, sink.received());

        outbound.add(ByteBuffer.wrap(new byte[10]));
        outbound.drain();
        assertEquals(first.length + 10, actions.flushed.get(), "a write after the close is discarded, and counted");
        assertEquals(first.length, sink.received().length);
        assertTrue(pool.getLeaks().isEmpty(), pool::dumpLeaks);
    }

    @Test
    void aFailedWriteDiscardsEverythingQueuedAndReportsIt() {
        IOException broken = new IOException("Broken pipe");
        sink.failWith(broken);
        Outbound outbound = new Outbound(sink.endPoint(), pool, false, actions);
        outbound.add(ByteBuffer.wrap(new byte[100]));
        outbound.drain();
        outbound.add(ByteBuffer.wrap(new byte[50]));
        outbound.shutdownOutput();
        assertSame(broken, actions.failure.get());
        assertEquals(150, actions.flushed.get(), "every byte taken is reported, written or discarded");
        assertTrue(actions.events.isEmpty(), "nothing runs after a failed write: " + actions.events);
        assertTrue(pool.getLeaks().isEmpty(), pool::dumpLeaks);
    }

    @Test
    void discardGivesBackWhatIsQueued() {
        sink.completeLater(null); // writes stay pending
        Outbound outbound = new Outbound(sink.endPoint(), pool, false, actions);
        outbound.add(ByteBuffer.wrap(new byte[100]));
        outbound.drain();
        outbound.add(ByteBuffer.wrap(new byte[40]));
        outbound.discard();
        assertEquals(40, actions.flushed.get(), "the queued write is discarded; the pending one is the end point's");
        sink.failPending(new IOException("closed"));
        assertEquals(140, actions.flushed.get());
        assertFalse(actions.failure.get() == null);
        assertTrue(pool.getLeaks().isEmpty(), pool::dumpLeaks);
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(1);
        }
    }

    /** What the queue reports. */
    private static final class Recorder implements Outbound.Actions {
        final AtomicLong flushed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void flushed(long bytes) {
            flushed.addAndGet(bytes);
        }

        @Override
        public void writeFailed(Throwable cause) {
            failure.set(cause);
        }

        @Override
        public void shutdownOutput() {
            events.add("shutdownOutput after " + flushed.get());
        }

        @Override
        public void close() {
            events.add("close after " + flushed.get());
        }
    }

    /**
     * An end point whose {@code write} is the one method used: like Jetty's it throws {@link
     * WritePendingException} for a second write while one is pending.
     */
    private static final class FakeEndPoint {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final AtomicInteger depth = new AtomicInteger();
        final AtomicInteger maxDepth = new AtomicInteger();
        private final AtomicReference<Callback> pending = new AtomicReference<>();
        private boolean later;
        private ExecutorService completer;
        private IOException failure;

        void completeLater(ExecutorService executor) {
            later = true;
            completer = executor;
        }

        void failWith(IOException e) {
            failure = e;
        }

        synchronized byte[] received() {
            return received.toByteArray();
        }

        void failPending(Throwable cause) {
            Callback callback = pending.getAndSet(null);
            if (callback != null) {
                callback.failed(cause);
            }
        }

        void stop() throws InterruptedException {
            completer.shutdown();
            assertTrue(completer.awaitTermination(10, TimeUnit.SECONDS));
        }

        EndPoint endPoint() {
            return (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(), new Class<?>[] {EndPoint.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("write")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        write((Callback) args[0], (ByteBuffer[]) args[1]);
                        return null;
                    });
        }

        private void write(Callback callback, ByteBuffer[] buffers) {
            if (!pending.compareAndSet(null, callback)) {
                throw new WritePendingException();
            }
            maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
            try {
                if (failure != null) {
                    pending.set(null);
                    callback.failed(failure);
                    return;
                }
                synchronized (this) {
                    for (ByteBuffer buffer : buffers) {
                        byte[] bytes = new byte[buffer.remaining()];
                        buffer.get(bytes);
                        received.writeBytes(bytes);
                    }
                }
                if (!later) {
                    pending.set(null);
                    callback.succeeded();
                } else if (completer != null) {
                    completer.execute(() -> {
                        pending.set(null);
                        callback.succeeded();
                    });
                }
            } finally {
                depth.decrementAndGet();
            }
        }
    }
}
