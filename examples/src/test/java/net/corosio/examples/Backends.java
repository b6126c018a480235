package net.corosio.examples;

import java.util.List;
import java.util.stream.Stream;
import net.corosio.Transport;
import net.corosio.spi.TransportProvider;

/**
 * The backends on the test class path, for {@code @MethodSource}: every example test runs once
 * per backend found, so a backend that lands is covered without touching the tests.
 */
public final class Backends {

    private Backends() {}

    /**
     * Returns every backend's name, in a stable order.
     *
     * @return the names
     */
    public static Stream<String> names() {
        List<String> names = Transport.available().stream().map(TransportProvider::name).sorted().toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no backend on the test class path");
        }
        return names.stream();
    }
}
