package net.corosio.lab.soak;

import net.corosio.lab.server.ResourceSnapshot;

/**
 * One reading of a soaked server, taken after a full GC.
 *
 * @param seconds since the soak started
 * @param fds open descriptors
 * @param threads live platform threads
 * @param heapAfterGcBytes live heap
 * @param rssBytes resident memory
 * @param directBuffers direct buffers outstanding
 * @param directBytes their capacity
 * @param connections connections the transport holds open
 */
public record SoakSample(
        double seconds, long fds, long threads, long heapAfterGcBytes, long rssBytes, long directBuffers, long directBytes,
        long connections) {

    static SoakSample of(double seconds, ResourceSnapshot s) {
        return new SoakSample(seconds, s.fds(), s.threads(), s.heapUsedBytes(), s.rssBytes(), s.directBuffers(),
                s.directBytes(), s.connections());
    }
}
