package net.corosio.tck;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every live thread of the JVM, virtual threads included, from the JDK's thread dump ({@code
 * HotSpotDiagnosticMXBean.dumpThreads}, JDK 21 and later). {@link Thread#getAllStackTraces()}
 * and {@code ThreadMXBean} see platform threads only, so a stuck handler, acceptor or TLS task on
 * a virtual thread would go unseen without it. The JDK tracks every virtual thread for these dumps
 * unless {@code -Djdk.trackAllThreads=false}; where the dump is not available, only platform
 * threads are listed.
 */
final class ThreadDump {

    /**
     * One thread.
     *
     * @param id its thread id
     * @param name its name
     * @param virtual whether it is a virtual thread
     * @param stack its top frames, for diagnostics
     */
    record Entry(long id, String name, boolean virtual, List<String> stack) {
        @Override
        public String toString() {
            return "#" + id + " '" + name + "'" + (virtual ? " (virtual)" : "")
                    + (stack.isEmpty() ? "" : " at " + String.join(" < ", stack));
        }
    }

    /** {@code #<id> "<name>"} then {@code virtual} for a virtual thread (JDK 21 to 25). */
    private static final Pattern HEADER = Pattern.compile("^#(\\d+) \"(.*)\"( virtual)?.*$");
    private static final int FRAMES_SHOWN = 4;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile Path directory;

    private ThreadDump() {}

    /**
     * Takes a dump.
     *
     * @return the live threads by id
     */
    static Map<Long, Entry> take() {
        Path file;
        try {
            file = directory().resolve("threads-" + SEQUENCE.incrementAndGet() + ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for thread dumps", e);
        }
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return parse(Files.readString(file));
        } catch (LinkageError | UnsupportedOperationException e) {
            return platformThreads(); // no jdk.management: platform threads only
        } catch (IOException e) {
            throw new UncheckedIOException("cannot dump the JVM's threads to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    private static Path directory() throws IOException {
        Path dir = directory;
        if (dir == null) {
            synchronized (ThreadDump.class) {
                if (directory == null) {
                    directory = Files.createTempDirectory("corosio-kit-threads");
                    directory.toFile().deleteOnExit();
                }
                dir = directory;
            }
        }
        return dir;
    }

    /**
     * Parses a dump in the JDK's plain-text format.
     *
     * @param dump the text
     * @return the threads by id
     */
    static Map<Long, Entry> parse(String dump) {
        Map<Long, Entry> threads = new LinkedHashMap<>();
        Entry current = null;
        List<String> stack = new ArrayList<>();
        for (String line : dump.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                stack = new ArrayList<>();
                current = new Entry(Long.parseLong(m.group(1)), m.group(2), m.group(3) != null, stack);
                threads.put(current.id(), current);
            } else if (current != null && line.strip().startsWith("at ") && stack.size() < FRAMES_SHOWN) {
                stack.add(line.strip().substring(3));
            }
        }
        return threads;
    }

    private static Map<Long, Entry> platformThreads() {
        Map<Long, Entry> threads = new LinkedHashMap<>();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            List<String> stack = new ArrayList<>();
            for (int i = 0; i < Math.min(FRAMES_SHOWN, frames.length); i++) {
                stack.add(frames[i].toString());
            }
            threads.put(thread.threadId(), new Entry(thread.threadId(), thread.getName(), false, stack));
        });
        return threads;
    }
}
