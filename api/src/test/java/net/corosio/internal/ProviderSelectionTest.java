package net.corosio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Test;

/** The order {@link Transport} documents for choosing a provider, and the messages of its failures. */
class ProviderSelectionTest {

    /** A provider that only has a name and a priority. */
    static class Fake implements TransportProvider {
        private final String name;
        private final int priority;

        Fake(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Transport create(TransportConfig config) {
            throw new UnsupportedOperationException("fake provider " + name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Another class, so that duplicate names can be told apart in messages. */
    static final class OtherFake extends Fake {
        OtherFake(String name, int priority) {
            super(name, priority);
        }
    }

    private final Fake alpha = new Fake("alpha", 10);
    private final Fake beta = new Fake("beta", 1);
    private final Fake gamma = new Fake("gamma", 5);

    @Test
    void anExplicitNameWinsOverThePropertyAndThePriorities() {
        assertSame(beta, ProviderSelection.select("beta", "gamma", List.of(alpha, beta, gamma)));
    }

    @Test
    void thePropertyIsUsedWhenNoNameIsGiven() {
        assertSame(beta, ProviderSelection.select(null, "beta", List.of(alpha, beta, gamma)));
        assertSame(gamma, ProviderSelection.select(null, "  gamma ", List.of(alpha, beta, gamma)), "the value is trimmed");
    }

    @Test
    void aBlankPropertyIsIgnored() {
        assertSame(alpha, ProviderSelection.select(null, " ", List.of(beta, alpha, gamma)));
        assertSame(alpha, ProviderSelection.select(null, "", List.of(beta, alpha, gamma)));
    }

    @Test
    void theSystemPropertyIsReadWhenNotPassedIn() {
        String before = System.getProperty(Transport.PROVIDER_PROPERTY);
        System.setProperty(Transport.PROVIDER_PROPERTY, "beta");
        try {
            assertSame(beta, ProviderSelection.select(null, List.of(alpha, beta, gamma)));
            assertSame(gamma, ProviderSelection.select("gamma", List.of(alpha, beta, gamma)));
        } finally {
            if (before == null) {
                System.clearProperty(Transport.PROVIDER_PROPERTY);
            } else {
                System.setProperty(Transport.PROVIDER_PROPERTY, before);
            }
        }
    }

    @Test
    void theOnlyProviderIsChosen() {
        assertSame(beta, ProviderSelection.select(null, null, List.of(beta)));
    }

    @Test
    void theHighestPriorityIsChosen() {
        assertSame(alpha, ProviderSelection.select(null, null, List.of(beta, gamma, alpha)));
        assertSame(gamma, ProviderSelection.select(null, null, List.of(gamma, beta)));
    }

    @Test
    void negativePrioritiesAreOrderedToo() {
        Fake low = new Fake("low", -10);
        Fake lower = new Fake("lower", -20);
        assertSame(low, ProviderSelection.select(null, null, List.of(lower, low)));
    }

    @Test
    void aTieAtTheTopFailsNamingTheTiedProviders() {
        Fake delta = new Fake("delta", 10);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(null, null, List.of(beta, alpha, gamma, delta)));
        String message = e.getMessage();
        assertTrue(message.contains("alpha") && message.contains("delta"), message);
        assertTrue(message.contains("tie") && message.contains("10"), message);
        assertTrue(message.contains(Transport.PROVIDER_PROPERTY), () -> "must say how to choose: " + message);
        assertTrue(message.startsWith("cannot choose a transport provider: [alpha (priority 10")
                || message.startsWith("cannot choose a transport provider: [delta (priority 10"), message);
    }

    @Test
    void aTieBelowTheTopIsNoProblem() {
        assertSame(alpha, ProviderSelection.select(null, null, List.of(beta, new Fake("b2", 1), alpha)));
    }

    @Test
    void anUnknownNameFailsNamingItAndListingTheProvidersFound() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select("nope", null, List.of(alpha, beta)));
        String message = e.getMessage();
        assertTrue(message.contains("'nope'"), message);
        assertTrue(message.contains("alpha") && message.contains("beta"), () -> "must list what was found: " + message);
        assertTrue(message.contains(TransportProvider.class.getName()), () -> "must say what was searched: " + message);
    }

    @Test
    void anUnknownNameFromThePropertySaysWhereTheNameCameFrom() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(null, "nope", List.of(alpha)));
        assertTrue(e.getMessage().contains("'nope'"), e::getMessage);
        assertTrue(e.getMessage().contains("-D" + Transport.PROVIDER_PROPERTY), e::getMessage);
        assertTrue(e.getMessage().contains("alpha"), e::getMessage);
    }

    @Test
    void aNameIsMatchedExactly() {
        assertThrows(IllegalStateException.class, () -> ProviderSelection.select("Alpha", null, List.of(alpha)));
        assertThrows(IllegalStateException.class, () -> ProviderSelection.select("alph", null, List.of(alpha)));
    }

    @Test
    void noProvidersFailsNamingTheSpi() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select(null, null, List.of()));
        assertTrue(e.getMessage().contains(TransportProvider.class.getName()), e::getMessage);
        assertTrue(e.getMessage().contains("no transport provider found"), e::getMessage);
    }

    @Test
    void aNameWithNoProvidersFailsSayingNoneWasFound() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProviderSelection.select("alpha", null, List.of()));
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("found none"), e::getMessage);
    }

    @Test
    void duplicateNamesFailNamingBothClasses() {
        Fake first = new Fake("twin", 1);
        Fake second = new OtherFake("twin", 2);
        for (String name : new String[] {"twin", null}) {
            String property = name == null ? "twin" : null;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ProviderSelection.select(name, property, List.of(first, second, alpha)));
            String message = e.getMessage();
            assertTrue(message.contains("'twin'"), message);
            assertTrue(message.contains(Fake.class.getName()) && message.contains(OtherFake.class.getName()), message);
        }
    }

    @Test
    void discoverFindsNothingWhenNoBackendIsPresentAndOpenSaysSo() {
        assertEquals(List.of(), ProviderSelection.discover(), "the api module alone has no provider");
        IllegalStateException e = assertThrows(IllegalStateException.class, Transport::open);
        assertTrue(e.getMessage().contains("no transport provider found"), e::getMessage);
        assertEquals(List.of(), Transport.available());
    }
}
