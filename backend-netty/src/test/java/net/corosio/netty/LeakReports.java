package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Netty's resource-leak reports into test failures: a leak detector factory, installed before
 * Netty creates its detectors, whose detectors record every report (and still log it).
 * Netty reports a leak when it notices that a tracked object (a buffer, an OpenSSL engine or
 * context) was garbage-collected without being released; the surefire configuration runs the
 * detector at its {@code paranoid} level, which tracks every allocation.
 */
final class LeakReports {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private LeakReports() {}

    /** Installs the recording factory; idempotent. Call before any Netty buffer class is used. */
    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
                @Override
                @SuppressWarnings("deprecation")
                public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int interval, long maxActive) {
                    return new Recording<>(resource, interval, maxActive);
                }
            });
        }
    }

    /**
     * Returns whether Netty's buffers are watched by a recording detector, that is, whether the
     * factory was installed before Netty created its buffer leak detector.
     *
     * @return whether buffer leaks are recorded
     */
    static boolean watchesBuffers() {
        ByteBufAllocator.DEFAULT.directBuffer(1).release(); // creates the detector if it is not there yet
        return WATCHED.contains(ByteBuf.class.getName());
    }

    /**
     * Makes Netty look for leaks now (a collection, then allocations, which is when detectors
     * check) and takes every report made since the last call.
     *
     * @return the reports, empty if nothing leaked
     * @throws InterruptedException if interrupted while waiting for the collector
     */
    static List<String> collect() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(100); // let the collector enqueue what it found
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
                ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
                heap.release();
            }
        }
        List<String> taken = List.copyOf(REPORTS);
        REPORTS.removeAll(taken);
        return taken;
    }

    /** A detector that records each report before logging it as usual. */
    private static final class Recording<T> extends ResourceLeakDetector<T> {

        @SuppressWarnings("deprecation")
        Recording(Class<?> resource, int interval, long maxActive) {
            super(resource, interval, maxActive);
            WATCHED.add(resource.getName());
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            REPORTS.add("LEAK of a " + resourceType + ":" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            REPORTS.add("LEAK of a " + resourceType + " (not traced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
