package net.corosio.lab.bench;

import java.util.List;
import net.corosio.lab.server.ResourceSnapshot;

/**
 * What the server JVM spent during the measurement window (or, for the idle scenario, what the
 * idle connections cost it).
 *
 * @param cpuPercent CPU time over wall time, in percent of one core
 * @param cpuMicrosPerOp CPU microseconds per operation
 * @param allocatedBytesPerOp heap bytes allocated per operation
 * @param gcCount collections during the window
 * @param gcMillis time spent collecting during the window
 * @param heapUsedBytes heap in use at the end
 * @param rssBytes resident memory at the end
 * @param threads live platform threads at the end
 * @param heapBytesPerConnection for idle: live heap per open connection (after a full GC), else 0
 * @param rssBytesPerConnection for idle: resident memory per open connection, else 0
 * @param voluntarySwitchesPerOp context switches per operation in which a server thread gave up
 *     its CPU to wait: the cost of handing work between threads (0 for idle)
 * @param involuntarySwitchesPerOp context switches per operation in which the kernel preempted a
 *     server thread (0 for idle)
 * @param heapByClass for idle: where the heap per connection goes, the largest classes first
 *     ({@link HeapShare}); empty otherwise, or when the server could not print a class histogram
 */
public record ServerUsage(
        double cpuPercent,
        double cpuMicrosPerOp,
        double allocatedBytesPerOp,
        long gcCount,
        long gcMillis,
        long heapUsedBytes,
        long rssBytes,
        int threads,
        double heapBytesPerConnection,
        double rssBytesPerConnection,
        double voluntarySwitchesPerOp,
        double involuntarySwitchesPerOp,
        List<HeapShare> heapByClass) {

    static ServerUsage between(ResourceSnapshot start, ResourceSnapshot end, long wallNanos, long operations) {
        long cpu = end.cpuNanos() - start.cpuNanos();
        long allocated = end.allocatedBytes() - start.allocatedBytes();
        double ops = Math.max(1, operations);
        return new ServerUsage(
                100.0 * cpu / wallNanos,
                cpu / 1000.0 / ops,
                allocated / ops,
                end.gcCount() - start.gcCount(),
                end.gcMillis() - start.gcMillis(),
                end.heapUsedBytes(),
                end.rssBytes(),
                end.threads(),
                0,
                0,
                (end.voluntarySwitches() - start.voluntarySwitches()) / ops,
                (end.involuntarySwitches() - start.involuntarySwitches()) / ops,
                List.of());
    }

    static ServerUsage perConnection(ResourceSnapshot before, ResourceSnapshot after, int connections,
            List<HeapShare> heapByClass) {
        double n = Math.max(1, connections);
        return new ServerUsage(0, 0, 0, after.gcCount() - before.gcCount(), after.gcMillis() - before.gcMillis(),
                after.heapUsedBytes(), after.rssBytes(), after.threads(),
                (after.heapUsedBytes() - before.heapUsedBytes()) / n,
                (after.rssBytes() - before.rssBytes()) / n,
                0,
                0,
                heapByClass);
    }
}
