package net.corosio.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    static void run() {
        try {
            Thread reader = Thread.ofVirtual().start(JvmWarmUp::exchangeOnVirtualThread);
            reader.join();
            TestCertificates.get().serverContext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exchangeOnVirtualThread() {
        try (ServerSocket server = new ServerSocket(0, 1, Kit.LOOPBACK);
                Socket client = new Socket()) {
            client.connect(new InetSocketAddress(Kit.LOOPBACK, server.getLocalPort()), 5000);
            try (Socket accepted = server.accept()) {
                client.setSoTimeout(5000);
                accepted.getOutputStream().write(1);
                InputStream in = client.getInputStream();
                in.read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up on the loopback address failed", e);
        }
    }
}
