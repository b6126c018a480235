package net.corosio.tck;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time this JVM's threads used between two moments, for rules about a backend that must
 * not spin. Counts the platform threads the JVM reports (a virtual thread's time shows on its
 * carrier); the JIT compilers and the garbage collector are not among them, so a busy JVM warming
 * up does not look like a spinning backend.
 */
final class ThreadCpu {

    /**
     * What the threads used over a window.
     *
     * @param total the CPU time of every thread together
     * @param busiest the name of the thread that used the most
     * @param busiestUsed what that thread used
     */
    record Usage(Duration total, String busiest, Duration busiestUsed) {
        @Override
        public String toString() {
            return total + " of CPU in all (the most, " + busiestUsed + ", on thread '" + busiest + "')";
        }
    }

    private final Map<Long, Long> start;

    private ThreadCpu(Map<Long, Long> start) {
        this.start = start;
    }

    /**
     * Starts a window.
     *
     * @return the window, to end with {@link #used()}
     */
    static ThreadCpu start() {
        return new ThreadCpu(sample());
    }

    /**
     * Returns what the threads used since {@link #start()}.
     *
     * @return the usage
     */
    Usage used() {
        Map<Long, Long> now = sample();
        long total = 0;
        long busiestId = -1;
        long most = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            total += used;
            if (used > most) {
                most = used;
                busiestId = e.getKey();
            }
        }
        ThreadInfo info = busiestId < 0 ? null : ManagementFactory.getThreadMXBean().getThreadInfo(busiestId);
        return new Usage(Duration.ofNanos(total), info == null ? "none" : info.getThreadName(), Duration.ofNanos(most));
    }

    private static Map<Long, Long> sample() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> times = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                times.put(id, cpu);
            }
        }
        return times;
    }
}
