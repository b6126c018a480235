package net.corosio.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Makes the JDK create, once per JVM and before any leak baseline is taken, the descriptors and
 * threads it keeps for its lifetime (the virtual-thread pollers, the TLS providers), so that the
 * first test is not blamed for them.
 */
final class JvmWarmUp {

    private JvmWarmUp() {}

    // Not LOOPBACK: this runs inside Kit's static initializer, and the virtual thread below
    // touching Kit would wait for that initializer to finish — which waits for the thread.
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static void run() {
        try {
            Thread reader = Thread.ofVirtual().start(JvmWarmUp::exchangeOnVirtualThread);
            reader.join();
            TestCertificates.get().serverContext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks a virtual thread in a socket read, which is what starts the JDK's pollers. */
    private static void exchangeOnVirtualThread() {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
                Socket client = new Socket()) {
            client.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), 5000);
            try (Socket accepted = server.accept()) {
                client.setSoTimeout(5000);
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        client.getInputStream().read();
                    } catch (IOException ignored) {
                        // the warm-up only needs the read to have blocked
                    }
                });
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (reader.getState() != Thread.State.WAITING && reader.getState() != Thread.State.TIMED_WAITING
                        && reader.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                accepted.getOutputStream().write(1);
                reader.join(5000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up on the loopback address failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
