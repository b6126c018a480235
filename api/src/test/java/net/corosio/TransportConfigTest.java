package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link TransportConfig}: checks, copying and property lookup. */
class TransportConfigTest {

    @Test
    void negativeIoThreadsAreRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TransportConfig(-1, Map.of()));
        assertEquals("ioThreads < 0: -1", e.getMessage());
        assertEquals("ioThreads < 0: -2", assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.defaults().withIoThreads(-2)).getMessage());
    }

    @Test
    void propertiesAreCopiedAndImmutable() {
        Map<String, String> source = new HashMap<>();
        source.put("test.a", "1");
        TransportConfig config = new TransportConfig(2, source);
        source.put("test.a", "changed");
        assertEquals(Optional.of("1"), config.property("test.a"));
        assertThrows(UnsupportedOperationException.class, () -> config.properties().put("test.b", "2"));
    }

    @Test
    void withMethodsReturnCopies() {
        TransportConfig base = TransportConfig.defaults();
        TransportConfig more = base.withIoThreads(3).withProperty("test.k", "v").withProperty("test.k", "w");
        assertEquals(3, more.ioThreads());
        assertEquals(Map.of("test.k", "w"), more.properties());
        assertEquals(new TransportConfig(0, Map.of()), base, "the defaults are unchanged");
        assertThrows(NullPointerException.class, () -> base.withProperty(null, "v"));
        assertThrows(NullPointerException.class, () -> base.withProperty("k", null));
    }

    @Test
    void aPropertyFallsBackToTheSystemProperties() {
        String key = "corosio.apitest." + System.nanoTime();
        TransportConfig config = TransportConfig.defaults();
        assertEquals(Optional.empty(), config.property(key));
        System.setProperty(key, "from-system");
        try {
            assertEquals(Optional.of("from-system"), config.property(key));
            assertEquals(Optional.of("from-config"), config.withProperty(key, "from-config").property(key),
                    "a value set in the config wins over the system property");
        } finally {
            System.clearProperty(key);
        }
    }
}
