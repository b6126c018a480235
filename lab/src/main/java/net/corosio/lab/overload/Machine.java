package net.corosio.lab.overload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What the kernel says about the machine: listen-queue overflows and a process's descriptor limit. */
final class Machine {

    private Machine() {}

    /**
     * Reads the kernel's TCP listen counters (system-wide, from {@code /proc/net/netstat}).
     *
     * @return {@code ListenOverflows} and {@code ListenDrops}, empty where they cannot be read
     */
    static Map<String, Long> listenCounters() {
        Map<String, Long> counters = new TreeMap<>();
        try {
            var lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 1; k < names.length && k < values.length; k++) {
                        if (names[k].equals("ListenOverflows") || names[k].equals("ListenDrops")) {
                            counters.put(names[k], Long.parseLong(values[k]));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the figures stay empty
        }
        return counters;
    }

    /**
     * Reads a process's soft limit on open files.
     *
     * @param pid the process, or -1 for this one
     * @return the limit, or {@link Long#MAX_VALUE} where unlimited or unknown
     */
    static long openFileLimit(long pid) {
        Path limits = Path.of("/proc", pid < 0 ? "self" : Long.toString(pid), "limits");
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }
}
