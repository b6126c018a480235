package net.corosio.tck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link LegacyTlsPeer}, a TLS 1.0/1.1 peer, in a JVM of its own (the same JDK), and reads
 * what it says. The process is destroyed when the test ends.
 */
final class LegacyTlsPeers {

    /** Enables TLS 1.0 and 1.1 in the peer's JVM only; everything else stays disabled. */
    private static final String SECURITY_PROPERTIES =
            "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL, anon, DH keySize < 1024, EC keySize < 224\n";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private LegacyTlsPeers(Kit kit, List<String> arguments) throws IOException {
        Path dir = Files.createTempDirectory("corosio-legacy-tls");
        Path security = dir.resolve("java.security");
        Files.writeString(security, SECURITY_PROPERTIES);
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", classPath(),
                LegacyTlsPeer.class.getName()));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        kit.track(() -> {
            process.destroyForcibly();
            process.waitFor(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS);
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        });
        Thread.ofVirtual().name("kit-legacy-tls-output").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("OUTPUT FAILED " + e);
            }
        });
    }

    /**
     * Starts a TLS 1.1/1.0 client that connects to a port on the loopback address.
     *
     * @param kit the kit, which destroys the process when the test ends
     * @param port where to connect
     * @return the peer
     * @throws IOException if the JVM cannot start
     */
    static LegacyTlsPeers client(Kit kit, int port) throws IOException {
        return new LegacyTlsPeers(kit, List.of("connect", Integer.toString(port)));
    }

    /**
     * Starts a TLS 1.1/1.0 server with the kit's server certificate, and returns once it listens.
     *
     * @param kit the kit, which destroys the process when the test ends
     * @return the peer; {@link #port()} is where it listens
     * @throws Exception if the JVM cannot start or does not listen
     */
    static LegacyTlsPeers server(Kit kit) throws Exception {
        Path keys = Files.createTempFile("corosio-legacy-tls", ".p12");
        kit.track(() -> Files.deleteIfExists(keys));
        char[] password = "legacy".toCharArray();
        kit.certs().writeServerKeyStore(keys, password);
        LegacyTlsPeers peer = new LegacyTlsPeers(kit, List.of("serve", keys.toString(), new String(password)));
        String listening = peer.nextLine();
        if (!listening.startsWith("LISTENING ")) {
            throw new IllegalStateException("the legacy TLS server did not start: " + listening);
        }
        peer.port = Integer.parseInt(listening.substring("LISTENING ".length()));
        return peer;
    }

    private int port;

    /**
     * Returns the port a server peer listens on.
     *
     * @return the port
     */
    int port() {
        return port;
    }

    /**
     * Waits for the peer's verdict: {@code HANDSHAKE <protocol>} or {@code REFUSED <exception>}.
     *
     * @return the line
     * @throws InterruptedException if interrupted
     */
    String outcome() throws InterruptedException {
        return nextLine();
    }

    private String nextLine() throws InterruptedException {
        // A JVM's start counts too: allow it twice the kit's wait.
        String line = lines.poll(Kit.defaultWait().toMillis() * 2, TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("the legacy TLS peer said nothing within " + Kit.defaultWait().multipliedBy(2));
        }
        return line;
    }

    private static String classPath() {
        try {
            return Path.of(LegacyTlsPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kit's classes", e);
        }
    }
}
