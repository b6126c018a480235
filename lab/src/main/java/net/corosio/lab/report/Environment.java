package net.corosio.lab.report;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.corosio.Transport;
import net.corosio.spi.TransportProvider;

/**
 * Where a run happened: the machine (cores, memory, kernel), the JDK, and the versions of every
 * library and backend, recorded with every result so numbers can be compared honestly.
 *
 * @param machine cores, memory, OS, kernel, CPU model
 * @param jdk vendor, version, VM
 * @param versions library versions and each backend's description
 */
public record Environment(Map<String, Object> machine, Map<String, String> jdk, Map<String, String> versions) {

    /**
     * Reads the environment of this JVM.
     *
     * @return the environment
     */
    public static Environment current() {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryBytes", os.getTotalMemorySize());
        machine.put("os", System.getProperty("os.name"));
        machine.put("kernel", System.getProperty("os.version"));
        machine.put("arch", System.getProperty("os.arch"));
        machine.put("cpu", cpuModel());
        Map<String, String> jdk = new LinkedHashMap<>();
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("version", Runtime.version().toString());
        jdk.put("vm", System.getProperty("java.vm.name"));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("corosio", String.valueOf(Environment.class.getPackage().getImplementationVersion()));
        versions.put("netty", io.netty.util.Version.identify().values().stream()
                .filter(v -> v.artifactId().equals("netty-transport"))
                .map(io.netty.util.Version::artifactVersion)
                .findFirst().orElse("unknown"));
        versions.put("jetty", org.eclipse.jetty.util.Jetty.VERSION);
        List<TransportProvider> providers = Transport.available();
        for (TransportProvider provider : providers) {
            versions.put("backend." + provider.name(), provider.description());
        }
        return new Environment(machine, jdk, versions);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            return "unknown";
        }
        return "unknown";
    }
}
