package net.corosio.examples.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.examples.OkioConnection;

/**
 * The room every chat connection joins: each line a member sends goes to every member, the sender
 * included, in one order for everyone (lines are delivered under one lock, and delivery never
 * waits: it only queues).
 *
 * <p><b>Slow consumers.</b> Each member has a bounded queue ({@link ChatLimits#queueMessages()}).
 * A member whose queue is full when a line arrives is disconnected at once with a reason ("too
 * slow: N lines behind"), its backlog dropped, and the others are told. Fan-out memory is
 * therefore bounded by members x queue x line length, whatever the senders do. Thread-safe.
 */
public final class ChatRoom {

    private final ChatLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Member> members = new LinkedHashSet<>();
    private final AtomicInteger guests = new AtomicInteger();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    /**
     * Creates an empty room.
     *
     * @param limits its bounds
     */
    public ChatRoom(ChatLimits limits) {
        this.limits = limits;
    }

    /**
     * Returns the room's bounds.
     *
     * @return the limits
     */
    public ChatLimits limits() {
        return limits;
    }

    /**
     * Returns how many members are in the room.
     *
     * @return the count
     */
    public int size() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many members were disconnected for being too slow.
     *
     * @return the count since the room was made
     */
    public long evictions() {
        return evictions.get();
    }

    /**
     * Returns how many lines were queued for members in all.
     *
     * @return the count since the room was made
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Returns the most lines waiting for any one member now: never above the queue limit.
     *
     * @return the largest backlog
     */
    public int largestBacklog() {
        lock.lock();
        try {
            return members.stream().mapToInt(Member::backlog).max().orElse(0);
        } finally {
            lock.unlock();
        }
    }

    /** Adds a member with a guest name, greets it and tells the others. */
    Member join(OkioConnection io) {
        Member member = new Member("guest-" + guests.incrementAndGet(), io, limits.queueMessages());
        lock.lock();
        try {
            members.add(member);
            member.offer("* welcome, " + member.name() + " (/nick NAME to rename, /quit to leave)");
            deliver("* " + member.name() + " joined", member);
        } finally {
            lock.unlock();
        }
        member.start();
        return member;
    }

    /** Sends a member's line to everyone. */
    void say(Member from, String text) {
        broadcast(from.name() + ": " + text);
    }

    /** Renames a member and tells everyone. */
    void rename(Member member, String name) {
        lock.lock();
        try {
            String old = member.name();
            member.rename(name);
            deliver("* " + old + " is now " + name, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a member, sends it a farewell after what is already queued for it, and tells the
     * others. Does nothing for a member already gone (evicted).
     */
    void leave(Member member, String farewell) {
        lock.lock();
        try {
            if (members.remove(member)) {
                member.finish(farewell, false);
                deliver("* " + member.name() + " left", null);
            }
        } finally {
            lock.unlock();
        }
    }

    private void broadcast(String line) {
        lock.lock();
        try {
            deliver(line, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a line for every member but {@code except}, evicting the members that are too far
     * behind, then tells the rest about them — which may evict more, until nobody else overflows.
     * Called with the lock held.
     */
    private void deliver(String line, Member except) {
        List<String> pending = new ArrayList<>(List.of(line));
        while (!pending.isEmpty()) {
            String next = pending.remove(0);
            List<Member> overflowing = new ArrayList<>();
            for (Member member : members) {
                if (member == except) {
                    continue;
                }
                if (member.offer(next)) {
                    delivered.incrementAndGet();
                } else {
                    overflowing.add(member);
                }
            }
            except = null;
            for (Member slow : overflowing) {
                members.remove(slow);
                evictions.incrementAndGet();
                String reason = "too slow: " + limits.queueMessages() + " lines behind";
                slow.finish("* disconnected: " + reason, true);
                pending.add("* " + slow.name() + " was disconnected (" + reason + ")");
            }
        }
    }
}
