package net.corosio.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a test must give back: the I/O file descriptors (sockets, epoll and event descriptors,
 * pipes) and the threads — platform and virtual — that were not there before it started.
 * Descriptors for regular files are ignored, because class loading keeps jar files open for the
 * life of the JVM; JDK threads that come and go by themselves (carriers, pollers, cleaners) are
 * ignored by name, and so are the kit's own forked threads ({@code kit-…}), which it joins itself.
 */
final class LeakCheck {

    private static final Path FD_DIR = Path.of("/proc/self/fd");

    /** JDK, test-runner and kit threads that appear on their own, not started by a backend. */
    private static final List<String> IGNORED_THREAD_PREFIXES = List.of(
            "ForkJoinPool",
            "Read-Poller",
            "Write-Poller",
            "MasterPoller",
            "SubPoller",
            "VirtualThread-unblocker",
            "VirtualThread-unparker",
            "Common-Cleaner",
            "Cleaner",
            "process reaper",
            "Attach Listener",
            "Signal Dispatcher",
            "Reference Handler",
            "Finalizer",
            "Notification Thread",
            "InnocuousThread",
            "junit-jupiter-timeout-watcher",
            "surefire",
            "ping-",
            "JFR",
            "Monitor Deflation",
            "kit-");

    private final Map<String, Integer> descriptors;
    private final Set<Long> threads;

    private LeakCheck(Map<String, Integer> descriptors, Set<Long> threads) {
        this.descriptors = descriptors;
        this.threads = threads;
    }

    /**
     * Records what is open now.
     *
     * @return the baseline
     */
    static LeakCheck baseline() {
        return new LeakCheck(ioDescriptors(), Set.copyOf(ThreadDump.take().keySet()));
    }

    /**
     * Describes what is open now that was not at the baseline.
     *
     * @return the leaks, empty if none
     */
    List<String> leaks() {
        return leaks(true);
    }

    /**
     * Describes the descriptors and virtual threads open now that were not at the baseline. While a
     * transport runs, its platform threads (event loops, selectors, timers) are pools that may start
     * lazily as connections come; a virtual thread, though, belongs to one task.
     *
     * @return the leaks, empty if none
     */
    List<String> leaksWhileRunning() {
        return leaks(false);
    }

    private List<String> leaks(boolean platformThreadsToo) {
        List<String> leaks = new ArrayList<>(descriptorLeaks());
        List<String> newThreads = ThreadDump.take().values().stream()
                .filter(t -> !threads.contains(t.id()) && !ignored(t.name()))
                .filter(t -> platformThreadsToo || t.virtual())
                .map(ThreadDump.Entry::toString)
                .toList();
        if (!newThreads.isEmpty()) {
            leaks.add("threads still running: " + newThreads);
        }
        return leaks;
    }

    /**
     * Describes the descriptors open now that were not at the baseline (cheaper than {@link
     * #leaks()}: no thread dump).
     *
     * @return the leaks, empty if none
     */
    List<String> descriptorLeaks() {
        List<String> leaks = new ArrayList<>();
        ioDescriptors().forEach((kind, count) -> {
            int before = descriptors.getOrDefault(kind, 0);
            if (count > before) {
                leaks.add((count - before) + " more '" + kind + "' file descriptors (" + before + " -> " + count + ")");
            }
        });
        return leaks;
    }

    /**
     * Returns whether descriptors can be counted on this platform.
     *
     * @return whether {@code /proc/self/fd} exists
     */
    static boolean canCountDescriptors() {
        return Files.isDirectory(FD_DIR);
    }

    private static boolean ignored(String name) {
        for (String prefix : IGNORED_THREAD_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> ioDescriptors() {
        Map<String, Integer> counts = new HashMap<>();
        if (!canCountDescriptors()) {
            return counts;
        }
        try (Stream<Path> entries = Files.list(FD_DIR)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String kind = kind(entry);
                if (kind != null) {
                    counts.merge(kind, 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return counts;
    }

    private static String kind(Path entry) {
        String target;
        try {
            target = Files.readSymbolicLink(entry).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // closed between list and read, or the listing's own descriptor
        }
        if (target.startsWith("socket:")) {
            return "socket";
        }
        if (target.startsWith("pipe:")) {
            return "pipe";
        }
        if (target.startsWith("anon_inode:")) {
            return target; // [eventpoll], [eventfd], [io_uring], ...
        }
        return null;
    }
}
