package net.corosio.lab.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finding the real programs the apps runs use, and waiting for a server to listen. */
final class Programs {

    private static final List<String> SYSTEM_DIRECTORIES =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Programs() {}

    /**
     * Finds a program on the PATH or in the usual system directories (nginx lives in /usr/sbin).
     *
     * @param name the program
     * @return its path, if installed
     */
    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SYSTEM_DIRECTORIES);
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns a loopback port that was free a moment ago, for a server that cannot report the port
     * it bound (nginx, redis-server).
     *
     * @return the port
     * @throws IOException if no port can be had
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until something accepts connections on a loopback port.
     *
     * @param port the port
     * @param process the server, whose exit ends the wait early
     * @param within the deadline
     * @throws IOException if nothing listens in time or the server exited
     */
    static void awaitListening(int port, Process process, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with code " + process.exitValue() + " before listening");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50); // polling a server we did not write: it tells us nothing else
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the server", interrupted);
                }
            }
        }
        throw new IOException("nothing listened on port " + port + " within " + within);
    }
}
