package net.corosio.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A transport's count of the buffers its connections lent to the application and that have not
 * come back ({@link net.corosio.TransportMetrics#lentBuffers()}), and who lent them: each
 * connection counts its own leases out, and a connection that has closed with leases still out is
 * remembered here until they are back, so a leak names its connection however long it lasts.
 * Counting costs one contended-friendly add per lease; nothing is allocated per lease. Thread-safe.
 */
final class LendingLedger {

    private final LongAdder out = new LongAdder();
    private final Set<AbstractConnection> closedLenders = ConcurrentHashMap.newKeySet();

    void lent() {
        out.increment();
    }

    void returned() {
        out.decrement();
    }

    /** A connection released its socket with {@code leases} still out. */
    void closedWithLeasesOut(AbstractConnection connection) {
        closedLenders.add(connection);
    }

    /** A closed connection's last lease came back. */
    void forget(AbstractConnection connection) {
        closedLenders.remove(connection);
    }

    long outstanding() {
        return out.sum();
    }

    /**
     * Names the connections with leases out, and how many each.
     *
     * @param open the transport's open connections
     * @return one line per lender, e.g. {@code "nio 127.0.0.1:5000 <- 127.0.0.1:41000: 2 buffers"}
     */
    List<String> lenders(Collection<? extends net.corosio.Connection> open) {
        List<String> lenders = new ArrayList<>();
        for (net.corosio.Connection connection : open) {
            if (connection instanceof AbstractConnection c && !closedLenders.contains(c)) {
                describe(c, lenders);
            }
        }
        for (AbstractConnection c : closedLenders) {
            describe(c, lenders);
        }
        return lenders;
    }

    private static void describe(AbstractConnection connection, List<String> into) {
        int leases = connection.leasesOut();
        if (leases > 0) {
            into.add(connection + ": " + leases + (leases == 1 ? " buffer" : " buffers"));
        }
    }
}
