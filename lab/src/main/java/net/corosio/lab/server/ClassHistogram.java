package net.corosio.lab.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of this JVM, counted by class: what {@code jcmd <pid> GC.class_histogram}
 * prints, read through the HotSpot diagnostic command MBean (which runs a full GC first, so only
 * live objects count). The idle scenario takes one before and one after opening its connections;
 * the difference, divided by the connections, is what one idle connection holds.
 *
 * @param classes every class with live instances, largest first
 */
public record ClassHistogram(List<ClassCount> classes) {

    /**
     * One line of the histogram.
     *
     * @param className the class, as the JVM names it ({@code [B} for {@code byte[]})
     * @param instances live instances
     * @param bytes their shallow size in bytes
     */
    public record ClassCount(String className, long instances, long bytes) {}

    /** {@code "   1:   12345   678901  [B (java.base@25)"}: rank, instances, bytes, class. */
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    /**
     * Counts the live objects now (after a full GC).
     *
     * @return the histogram
     * @throws IllegalStateException if this JVM has no HotSpot diagnostic commands
     */
    public static ClassHistogram take() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("this JVM cannot print a class histogram (GC.class_histogram)", e);
        }
        return parse(text);
    }

    /**
     * Reads the text {@code GC.class_histogram} prints.
     *
     * @param text the histogram's text
     * @return the histogram; lines that are not class counts (headers, the total) are skipped
     */
    public static ClassHistogram parse(String text) {
        List<ClassCount> classes = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                classes.add(new ClassCount(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        return new ClassHistogram(List.copyOf(classes));
    }
}
