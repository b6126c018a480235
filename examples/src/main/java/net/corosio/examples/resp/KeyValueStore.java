package net.corosio.examples.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import okio.ByteString;

/**
 * The RESP server's data: binary-safe string keys and values, each with an optional expiry time,
 * within a memory bound. Thread-safe: every operation holds one lock, so each command is atomic
 * as in Redis (MSET included), and a lock rather than {@code synchronized} so a virtual thread
 * waiting for it never pins its carrier.
 *
 * <p><b>Expiry</b> is lazy — an expired key is gone for every read — and also active: each write
 * first removes the keys whose time has passed, in expiry order, so keys nobody reads again do not
 * pile up. The expiry queue is rebuilt when stale entries (keys since deleted or given another
 * time) outnumber live ones, so it stays proportional to the keys that expire.
 *
 * <p><b>Memory</b> is estimated per key (key and value bytes plus a fixed overhead, plus one for
 * each queued expiry); a write that would exceed the limit fails with {@link OutOfMemory} and
 * changes nothing.
 */
public final class KeyValueStore {

    /** A write would take the store beyond its memory limit. */
    public static final class OutOfMemory extends Exception {
        private static final long serialVersionUID = 1L;

        OutOfMemory() {
            super("OOM command not allowed when used memory > 'maxmemory'.", null, false, false);
        }
    }

    /** The value is not an integer, or the result would overflow. */
    public static final class NotAnInteger extends Exception {
        private static final long serialVersionUID = 1L;

        NotAnInteger(String message) {
            super(message, null, false, false);
        }
    }

    /** When SET and EXPIRE may act, by what exists now. */
    public enum Condition {
        /** Always. */
        ALWAYS,
        /** Only if the key (SET) or its expiry (EXPIRE) does not exist. */
        NX,
        /** Only if the key (SET) or its expiry (EXPIRE) exists. */
        XX,
        /** EXPIRE only: only if the new time is later (no expiry counts as infinite). */
        GT,
        /** EXPIRE only: only if the new time is earlier. */
        LT
    }

    /** No expiry. */
    public static final long NEVER = 0;

    /** SET ... KEEPTTL: keep the key's current expiry. */
    public static final long KEEP = -1;

    private static final int ENTRY_OVERHEAD = 64;
    private static final int EXPIRY_OVERHEAD = 48;

    private record Entry(ByteString value, long expiresAt) {}

    private record Expiry(long at, ByteString key) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ByteString, Entry> entries = new HashMap<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    private final long maxMemory;
    private final LongSupplier clock;
    private long usedMemory;
    private int expiring;

    /**
     * Creates a store on the wall clock (expiry times are Unix milliseconds, as in Redis).
     *
     * @param maxMemory the most bytes it may hold, estimated
     */
    public KeyValueStore(long maxMemory) {
        this(maxMemory, System::currentTimeMillis);
    }

    /**
     * Creates a store on a given clock.
     *
     * @param maxMemory the most bytes it may hold, estimated
     * @param clock the current time in Unix milliseconds
     */
    public KeyValueStore(long maxMemory, LongSupplier clock) {
        this.maxMemory = maxMemory;
        this.clock = clock;
    }

    /**
     * Returns the current time on the store's clock.
     *
     * @return Unix milliseconds
     */
    public long now() {
        return clock.getAsLong();
    }

    /**
     * Returns a key's value.
     *
     * @param key the key
     * @return the value, or {@code null} if there is none (or it expired)
     */
    public ByteString get(ByteString key) {
        lock.lock();
        try {
            Entry entry = live(key);
            return entry == null ? null : entry.value();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns several keys' values.
     *
     * @param keys the keys
     * @return one value per key, {@code null} where there is none
     */
    public List<ByteString> getAll(List<ByteString> keys) {
        lock.lock();
        try {
            List<ByteString> values = new ArrayList<>(keys.size());
            for (ByteString key : keys) {
                Entry entry = live(key);
                values.add(entry == null ? null : entry.value());
            }
            return values;
        } finally {
            lock.unlock();
        }
    }

    /** The outcome of {@link #set}: whether it wrote, and the value before. */
    public record SetResult(boolean written, ByteString previous) {}

    /**
     * Sets a key's value.
     *
     * @param key the key
     * @param value the value
     * @param expiresAt when it expires (Unix milliseconds), {@link #NEVER}, or {@link #KEEP}
     * @param condition {@link Condition#ALWAYS}, {@link Condition#NX} or {@link Condition#XX}
     * @return whether it was written, and the previous value
     * @throws OutOfMemory if it would exceed the memory limit
     */
    public SetResult set(ByteString key, ByteString value, long expiresAt, Condition condition) throws OutOfMemory {
        lock.lock();
        try {
            expireDue();
            Entry old = live(key);
            if (condition == Condition.NX && old != null || condition == Condition.XX && old == null) {
                return new SetResult(false, old == null ? null : old.value());
            }
            long at = expiresAt == KEEP ? (old == null ? NEVER : old.expiresAt()) : expiresAt;
            put(key, new Entry(value, at), old);
            return new SetResult(true, old == null ? null : old.value());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets several keys at once, clearing their expiry, all or nothing.
     *
     * @param pairs key, value, key, value, ...
     * @throws OutOfMemory if it would exceed the memory limit; then nothing was written
     */
    public void setAll(List<ByteString> pairs) throws OutOfMemory {
        lock.lock();
        try {
            expireDue();
            long growth = 0;
            for (int i = 0; i < pairs.size(); i += 2) {
                Entry old = live(pairs.get(i));
                growth += cost(pairs.get(i), pairs.get(i + 1)) - (old == null ? 0 : cost(pairs.get(i), old.value()));
            }
            if (growth > 0 && usedMemory + growth > maxMemory) {
                throw new OutOfMemory();
            }
            for (int i = 0; i < pairs.size(); i += 2) {
                put(pairs.get(i), new Entry(pairs.get(i + 1), NEVER), live(pairs.get(i)));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes keys.
     *
     * @param keys the keys
     * @return how many existed
     */
    public int delete(List<ByteString> keys) {
        lock.lock();
        try {
            expireDue();
            int deleted = 0;
            for (ByteString key : keys) {
                Entry old = live(key);
                if (old != null) {
                    remove(key, old);
                    deleted++;
                }
            }
            return deleted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts keys that exist; a key named twice counts twice, as in Redis.
     *
     * @param keys the keys
     * @return how many exist
     */
    public int exists(List<ByteString> keys) {
        lock.lock();
        try {
            int found = 0;
            for (ByteString key : keys) {
                if (live(key) != null) {
                    found++;
                }
            }
            return found;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds to a key's integer value (a missing key counts as 0), keeping its expiry.
     *
     * @param key the key
     * @param delta what to add
     * @return the new value
     * @throws NotAnInteger if the value is not an integer or the sum overflows
     * @throws OutOfMemory if it would exceed the memory limit
     */
    public long incrementBy(ByteString key, long delta) throws NotAnInteger, OutOfMemory {
        lock.lock();
        try {
            expireDue();
            Entry old = live(key);
            long current = 0;
            if (old != null) {
                current = old.value().size() > 20 ? Long.MIN_VALUE
                        : Integers.parse(old.value().string(StandardCharsets.ISO_8859_1));
                if (current == Long.MIN_VALUE) {
                    throw new NotAnInteger("value is not an integer or out of range");
                }
            }
            long sum;
            try {
                sum = Math.addExact(current, delta);
            } catch (ArithmeticException e) {
                throw new NotAnInteger("increment or decrement would overflow");
            }
            if (sum == Long.MIN_VALUE) { // representable, but not as a Redis integer here
                throw new NotAnInteger("increment or decrement would overflow");
            }
            put(key, new Entry(ByteString.encodeUtf8(Long.toString(sum)), old == null ? NEVER : old.expiresAt()), old);
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets or clears a key's expiry time. A time already past deletes the key, as in Redis.
     *
     * @param key the key
     * @param at Unix milliseconds, or {@link #NEVER} to make the key persistent (PERSIST)
     * @param condition when to act
     * @return whether the key existed and the condition held
     */
    public boolean expireAt(ByteString key, long at, Condition condition) {
        lock.lock();
        try {
            expireDue();
            Entry old = live(key);
            if (old == null) {
                return false;
            }
            long current = old.expiresAt() == NEVER ? Long.MAX_VALUE : old.expiresAt();
            long next = at == NEVER ? Long.MAX_VALUE : at;
            boolean allowed = switch (condition) {
                case ALWAYS -> true;
                case NX -> old.expiresAt() == NEVER;
                case XX -> old.expiresAt() != NEVER;
                case GT -> next > current;
                case LT -> next < current;
            };
            if (!allowed) {
                return false;
            }
            if (at != NEVER && at <= clock.getAsLong()) {
                remove(key, old);
                return true;
            }
            if (at == NEVER && old.expiresAt() == NEVER) {
                return false; // PERSIST on a persistent key changes nothing
            }
            put(key, new Entry(old.value(), at), old);
            return true;
        } catch (OutOfMemory e) {
            return false; // only the expiry queue grows here; refusing it leaves the key as it was
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a key's remaining time to live.
     *
     * @param key the key
     * @return milliseconds, -1 if it has no expiry, -2 if it does not exist
     */
    public long ttlMillis(ByteString key) {
        lock.lock();
        try {
            Entry entry = live(key);
            if (entry == null) {
                return -2;
            }
            return entry.expiresAt() == NEVER ? -1 : Math.max(0, entry.expiresAt() - clock.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    /** Deletes every key. */
    public void clear() {
        lock.lock();
        try {
            entries.clear();
            expiries.clear();
            usedMemory = 0;
            expiring = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of keys, expired ones not yet removed included (as Redis's DBSIZE).
     *
     * @return the count
     */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of keys with an expiry time.
     *
     * @return the count
     */
    public int expiringKeys() {
        lock.lock();
        try {
            return expiring;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the estimated bytes held.
     *
     * @return the estimate
     */
    public long usedMemory() {
        lock.lock();
        try {
            return usedMemory;
        } finally {
            lock.unlock();
        }
    }

    /** The entry for a key unless it has expired, in which case it is removed. */
    private Entry live(ByteString key) {
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAt() != NEVER && entry.expiresAt() <= clock.getAsLong()) {
            remove(key, entry);
            return null;
        }
        return entry;
    }

    private void put(ByteString key, Entry entry, Entry old) throws OutOfMemory {
        long growth = cost(key, entry.value()) + (entry.expiresAt() != NEVER ? EXPIRY_OVERHEAD : 0)
                - (old == null ? 0 : cost(key, old.value()));
        if (growth > 0 && usedMemory + growth > maxMemory) {
            throw new OutOfMemory();
        }
        if (old != null) {
            remove(key, old);
        }
        entries.put(key, entry);
        usedMemory += cost(key, entry.value());
        if (entry.expiresAt() != NEVER) {
            expiring++;
            expiries.add(new Expiry(entry.expiresAt(), key));
            usedMemory += EXPIRY_OVERHEAD;
            if (expiries.size() > 2 * expiring + 1024) {
                compactExpiries();
            }
        }
    }

    /** Removes a key; its queued expiry, if any, becomes stale and is dropped when it comes up. */
    private void remove(ByteString key, Entry entry) {
        entries.remove(key);
        usedMemory -= cost(key, entry.value());
        if (entry.expiresAt() != NEVER) {
            expiring--;
        }
    }

    /** Removes every key whose time has passed, earliest first; drops stale queue entries. */
    private void expireDue() {
        long now = clock.getAsLong();
        Expiry head;
        while ((head = expiries.peek()) != null && head.at() <= now) {
            expiries.poll();
            usedMemory -= EXPIRY_OVERHEAD;
            Entry entry = entries.get(head.key());
            if (entry != null && entry.expiresAt() == head.at()) {
                remove(head.key(), entry);
            }
        }
    }

    private void compactExpiries() {
        usedMemory -= (long) expiries.size() * EXPIRY_OVERHEAD;
        expiries.clear();
        for (Map.Entry<ByteString, Entry> e : entries.entrySet()) {
            if (e.getValue().expiresAt() != NEVER) {
                expiries.add(new Expiry(e.getValue().expiresAt(), e.getKey()));
            }
        }
        usedMemory += (long) expiries.size() * EXPIRY_OVERHEAD;
    }

    private static long cost(ByteString key, ByteString value) {
        return key.size() + value.size() + ENTRY_OVERHEAD;
    }
}
