package net.corosio.lab.server;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The server JVM's own resource counters at one moment: CPU time, GC, bytes allocated, heap and
 * resident memory. The lab takes one when measurement starts and one when it ends.
 *
 * @param cpuNanos process CPU time (user + system)
 * @param gcCount collections so far
 * @param gcMillis time spent collecting so far
 * @param allocatedBytes bytes allocated on the heap by all threads so far
 * @param heapUsedBytes heap in use now
 * @param rssBytes resident set size now (0 where /proc is missing)
 * @param threads live platform threads now
 * @param voluntarySwitches context switches so far in which a thread of the JVM gave up its CPU
 *     (to wait: a park, a blocking system call), summed over its live threads (0 where /proc is missing)
 * @param involuntarySwitches context switches so far in which the kernel took the CPU away
 * @param fds open file descriptors now (-1 where /proc is missing)
 * @param directBuffers direct buffers the JDK counts now (Netty's pooled arenas count as a few
 *     large ones)
 * @param directBytes their capacity
 * @param nettyDirectBytes direct memory Netty's allocator holds outside the JDK's count (-1 where
 *     Netty does not count it)
 * @param connections connections the server's transport holds open now (-1 for the baselines)
 * @param tlsHandshakeFailures the server's count so far (-1 for the baselines)
 */
public record ResourceSnapshot(
        long cpuNanos, long gcCount, long gcMillis, long allocatedBytes, long heapUsedBytes, long rssBytes, int threads,
        long voluntarySwitches, long involuntarySwitches,
        long fds, long directBuffers, long directBytes, long nettyDirectBytes, long connections,
        long tlsHandshakeFailures) {

    /**
     * Reads the counters now.
     *
     * @param collectFirst run a full GC first, so heap figures mean live data (for the idle scenario)
     * @return the snapshot
     */
    public static ResourceSnapshot take(boolean collectFirst) {
        return take(collectFirst, -1, -1);
    }

    /**
     * Reads the counters now, with the server's own.
     *
     * @param collectFirst run a full GC first, so heap figures mean live data
     * @param connections connections the transport holds open, or -1
     * @param tlsHandshakeFailures the server's handshake failures so far, or -1
     * @return the snapshot
     */
    public static ResourceSnapshot take(boolean collectFirst, long connections, long tlsHandshakeFailures) {
        if (collectFirst) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);
        return new ResourceSnapshot(
                os.getProcessCpuTime(),
                gcCount,
                gcMillis,
                threads.getTotalThreadAllocatedBytes(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                residentSetSize(),
                threads.getThreadCount(),
                contextSwitches("voluntary_ctxt_switches:"),
                contextSwitches("nonvoluntary_ctxt_switches:"),
                openDescriptors(),
                direct == null ? -1 : direct.getCount(),
                direct == null ? -1 : direct.getTotalCapacity(),
                io.netty.util.internal.PlatformDependent.usedDirectMemory(),
                connections,
                tlsHandshakeFailures);
    }

    /**
     * Sums one context-switch counter over the process's threads: {@code /proc/self/status} counts
     * the main thread alone. A thread that ended takes its count with it, so a window is measured
     * while the server's threads are steady.
     */
    private static long contextSwitches(String counter) {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith(counter)) {
                            total += Long.parseLong(line.substring(counter.length()).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended while we looked: its count is gone either way.
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return total;
    }

    private static long openDescriptors() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count() - 1; // the listing's own descriptor
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
