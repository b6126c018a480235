package net.corosio.examples.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/** The store on a clock the test moves: expiry, its bookkeeping, counters and the memory bound. */
class KeyValueStoreTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private static ByteString b(String text) {
        return ByteString.encodeUtf8(text);
    }

    @Test
    void keysExpireOnTimeAndExpiredKeysNobodyReadsAreRemovedByLaterWrites() throws Exception {
        KeyValueStore store = new KeyValueStore(1 << 20, now::get);
        for (int i = 0; i < 100; i++) {
            store.set(b("k" + i), b("v"), now.get() + 1000, KeyValueStore.Condition.ALWAYS);
        }
        store.set(b("forever"), b("v"), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS);
        assertEquals(1000, store.ttlMillis(b("k1")));
        assertEquals(-1, store.ttlMillis(b("forever")));
        now.addAndGet(1000);
        assertNull(store.get(b("k1")), "expired at its time");
        assertEquals(-2, store.ttlMillis(b("k1")));
        store.set(b("other"), b("v"), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS); // any write sweeps
        assertEquals(2, store.size(), "only the persistent keys remain");
        assertEquals(0, store.expiringKeys());
    }

    @Test
    void resettingTtlsDoesNotGrowTheExpiryQueueWithoutBound() throws Exception {
        KeyValueStore store = new KeyValueStore(1 << 20, now::get);
        long before = 0;
        for (int i = 0; i < 100_000; i++) {
            store.set(b("k"), b("v"), now.get() + 60_000 + i, KeyValueStore.Condition.ALWAYS);
            if (i == 10) {
                before = store.usedMemory();
            }
        }
        assertTrue(store.usedMemory() < before + 200_000, "memory " + store.usedMemory() + " vs " + before);
    }

    @Test
    void countersAreStrictIntegersAndKeepTheirExpiry() throws Exception {
        KeyValueStore store = new KeyValueStore(1 << 20, now::get);
        assertEquals(5, store.incrementBy(b("n"), 5));
        store.expireAt(b("n"), now.get() + 5000, KeyValueStore.Condition.ALWAYS);
        assertEquals(4, store.incrementBy(b("n"), -1));
        assertEquals(5000, store.ttlMillis(b("n")));
        store.set(b("s"), b(" 1"), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS);
        assertThrows(KeyValueStore.NotAnInteger.class, () -> store.incrementBy(b("s"), 1));
        store.set(b("max"), b(Long.toString(Long.MAX_VALUE)), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS);
        var overflow = assertThrows(KeyValueStore.NotAnInteger.class, () -> store.incrementBy(b("max"), 1));
        assertEquals("increment or decrement would overflow", overflow.getMessage());
    }

    @Test
    void writesBeyondTheMemoryLimitAreRefusedAndChangeNothing() throws Exception {
        KeyValueStore store = new KeyValueStore(4096, now::get);
        store.set(b("a"), b("x".repeat(2000)), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS);
        assertThrows(KeyValueStore.OutOfMemory.class,
                () -> store.setAll(List.of(b("b"), b("y".repeat(1000)), b("c"), b("z".repeat(1500)))));
        assertEquals(1, store.size(), "MSET is all or nothing");
        store.delete(List.of(b("a")));
        assertEquals(0, store.usedMemory());
    }
}
