package net.corosio.lab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.corosio.lab.server.ClassHistogram;

/**
 * One class's share of what an idle connection holds: the growth of its live instances between a
 * class histogram taken before the idle connections were opened and one taken after, divided by
 * the connections. The idle scenario reports the largest shares, which say where a connection's
 * heap goes (its buffers, the bridge's objects, the parked virtual thread's stack chunk).
 *
 * @param className the class as the JVM names it ({@code [B} is {@code byte[]}), or {@value #OTHER}
 *     for the sum of the classes not listed
 * @param bytesPerConnection shallow bytes per connection
 * @param instancesPerConnection instances per connection
 */
public record HeapShare(String className, double bytesPerConnection, double instancesPerConnection) {

    /** The name of the row that sums the classes not listed. */
    public static final String OTHER = "(other classes)";

    /**
     * Computes the largest shares.
     *
     * @param before the histogram before the connections were opened
     * @param after the histogram with the connections open
     * @param connections how many were open
     * @param top how many classes to list; the rest are summed in one {@value #OTHER} row
     * @return the shares, largest first, then the other classes' sum if any grew
     */
    static List<HeapShare> between(ClassHistogram before, ClassHistogram after, int connections, int top) {
        Map<String, ClassHistogram.ClassCount> base = new HashMap<>();
        for (ClassHistogram.ClassCount c : before.classes()) {
            base.merge(c.className(), c, (a, b) -> new ClassHistogram.ClassCount(a.className(),
                    a.instances() + b.instances(), a.bytes() + b.bytes()));
        }
        double n = Math.max(1, connections);
        List<HeapShare> grown = new ArrayList<>();
        for (ClassHistogram.ClassCount c : after.classes()) {
            ClassHistogram.ClassCount was = base.get(c.className());
            long bytes = c.bytes() - (was == null ? 0 : was.bytes());
            long instances = c.instances() - (was == null ? 0 : was.instances());
            if (bytes > 0) {
                grown.add(new HeapShare(c.className(), bytes / n, instances / n));
            }
        }
        grown.sort(Comparator.comparingDouble(HeapShare::bytesPerConnection).reversed());
        List<HeapShare> shares = new ArrayList<>(grown.subList(0, Math.min(top, grown.size())));
        double otherBytes = 0;
        double otherInstances = 0;
        for (HeapShare rest : grown.subList(shares.size(), grown.size())) {
            otherBytes += rest.bytesPerConnection();
            otherInstances += rest.instancesPerConnection();
        }
        if (otherBytes > 0) {
            shares.add(new HeapShare(OTHER, otherBytes, otherInstances));
        }
        return List.copyOf(shares);
    }
}
