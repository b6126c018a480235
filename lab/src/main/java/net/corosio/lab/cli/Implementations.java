package net.corosio.lab.cli;

import java.util.ArrayList;
import java.util.List;
import net.corosio.Transport;
import net.corosio.lab.server.ServerMain;
import net.corosio.spi.TransportProvider;

/** Which implementations a command runs: the backends found, plus the native baselines. */
final class Implementations {

    /** The order tables list backends in, so runs are easy to compare. */
    private static final List<String> ORDER = List.of("loom", "nio", "netty", "jetty");

    private Implementations() {}

    static List<String> resolve(List<String> requested, boolean withBaselines) {
        if (requested != null && !requested.isEmpty()) {
            List<String> known = all(true);
            for (String name : requested) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown backend '" + name + "'; found " + known);
                }
            }
            return requested;
        }
        return all(withBaselines);
    }

    private static List<String> all(boolean withBaselines) {
        List<String> names = new ArrayList<>();
        List<String> found = Transport.available().stream().map(TransportProvider::name).toList();
        ORDER.stream().filter(found::contains).forEach(names::add);
        found.stream().filter(n -> !ORDER.contains(n)).sorted().forEach(names::add);
        if (withBaselines) {
            names.add(ServerMain.NETTY_NATIVE);
            names.add(ServerMain.JETTY_NATIVE);
        }
        return names;
    }
}
