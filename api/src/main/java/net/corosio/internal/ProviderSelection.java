package net.corosio.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import net.corosio.Transport;
import net.corosio.spi.TransportProvider;

/**
 * Finds providers and chooses one, in the order documented on {@link Transport}. The messages
 * here are diagnostics users read: each says what was searched and what was found.
 */
public final class ProviderSelection {

    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    /** Bounds the walk over a broken service configuration that keeps failing. */
    private static final int MAX_PROVIDER_ENTRIES = 1000;

    private ProviderSelection() {}

    /**
     * Loads every provider that can be loaded, highest priority first. A provider that fails to
     * load is logged at WARNING and skipped.
     *
     * @return the providers found
     */
    public static List<TransportProvider> discover() {
        List<TransportProvider> found = new ArrayList<>();
        Iterator<TransportProvider> it = ServiceLoader.load(TransportProvider.class).iterator();
        for (int entries = 0; entries < MAX_PROVIDER_ENTRIES; entries++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping a transport provider that failed to load: " + e, e);
            }
        }
        found.sort(Comparator.comparingInt(TransportProvider::priority).reversed()
                .thenComparing(TransportProvider::name));
        return List.copyOf(found);
    }

    /**
     * Chooses a provider: by {@code name}, else by the system property, else the only one, else
     * the highest priority.
     *
     * @param name the name asked for, or {@code null}
     * @param found the providers found
     * @return the chosen provider
     * @throws IllegalStateException if none can be chosen
     */
    public static TransportProvider select(String name, List<TransportProvider> found) {
        return select(name, System.getProperty(Transport.PROVIDER_PROPERTY), found);
    }

    /**
     * Chooses a provider, with the system property's value passed in.
     *
     * @param name the name asked for, or {@code null}
     * @param property the value of {@value Transport#PROVIDER_PROPERTY}, or {@code null}
     * @param found the providers found
     * @return the chosen provider
     * @throws IllegalStateException if none can be chosen
     */
    public static TransportProvider select(String name, String property, List<TransportProvider> found) {
        if (name != null) {
            return byName(name, "asked for by name", found);
        }
        if (property != null && !property.isBlank()) {
            return byName(property.trim(), "named by -D" + Transport.PROVIDER_PROPERTY, found);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no transport provider found: searched ServiceLoader for "
                    + TransportProvider.class.getName()
                    + " on the module path and the class path; add a backend (corosio-backend-*) to the runtime");
        }
        if (found.size() == 1) {
            return found.getFirst();
        }
        List<TransportProvider> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(TransportProvider::priority).reversed());
        TransportProvider top = sorted.get(0);
        TransportProvider next = sorted.get(1);
        if (top.priority() == next.priority()) {
            List<TransportProvider> tied = sorted.stream()
                    .filter(p -> p.priority() == top.priority())
                    .toList();
            throw new IllegalStateException("cannot choose a transport provider: " + describe(tied)
                    + " tie at priority " + top.priority() + "; name one with Transport.open(name) or -D"
                    + Transport.PROVIDER_PROPERTY + "=<name> (found: " + describe(found) + ")");
        }
        return top;
    }

    private static TransportProvider byName(String name, String how, List<TransportProvider> found) {
        List<TransportProvider> matches =
                found.stream().filter(p -> p.name().equals(name)).toList();
        if (matches.isEmpty()) {
            throw new IllegalStateException("no transport provider named '" + name + "' (" + how
                    + "): searched ServiceLoader for " + TransportProvider.class.getName() + ", found "
                    + (found.isEmpty() ? "none" : describe(found)));
        }
        if (matches.size() > 1) {
            throw new IllegalStateException("several transport providers are named '" + name + "': "
                    + matches.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", ")));
        }
        return matches.getFirst();
    }

    private static String describe(List<TransportProvider> providers) {
        return providers.stream()
                .map(p -> p.name() + " (priority " + p.priority() + ", " + p.getClass().getName() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
