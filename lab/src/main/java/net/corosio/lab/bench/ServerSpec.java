package net.corosio.lab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.corosio.lab.server.ServerApp;

/**
 * Which server to start for one run, and how: the implementation (a backend, or a native
 * baseline), the app, and the knobs a scheduler sweep varies.
 *
 * @param impl a backend name, {@code netty-native} or {@code jetty-native}
 * @param app what the server does per connection
 * @param messageSize fanout message size
 * @param ioThreads I/O threads, 0 for the implementation's default
 * @param executor {@code virtual}, {@code loop} or {@code platform:N}
 * @param copyingReads whether the API's apps read with {@code read(ByteBuffer)} into buffers of
 *     their own rather than receive lent buffers
 * @param inboundLimit the connections' inbound limit in bytes, 0 for the API's default
 * @param properties backend properties ({@code netty.io=epoll})
 * @param tlsKeyStore a PKCS12 file to serve TLS with, or {@code null}
 * @param tlsPassword its password
 * @param jvmArgs extra JVM arguments for the forked server
 * @param extraArguments more server options ({@code --handshake-timeout PT2S}, {@code --backlog N})
 */
public record ServerSpec(
        String impl,
        ServerApp app,
        int messageSize,
        int ioThreads,
        String executor,
        boolean copyingReads,
        int inboundLimit,
        Map<String, String> properties,
        String tlsKeyStore,
        String tlsPassword,
        List<String> jvmArgs,
        List<String> extraArguments) {

    /** The spec without extra server options, as the benchmarks use it. */
    public ServerSpec(String impl, ServerApp app, int messageSize, int ioThreads, String executor, boolean copyingReads,
            int inboundLimit, Map<String, String> properties, String tlsKeyStore, String tlsPassword, List<String> jvmArgs) {
        this(impl, app, messageSize, ioThreads, executor, copyingReads, inboundLimit, properties, tlsKeyStore, tlsPassword,
                jvmArgs, List.of());
    }

    /**
     * Returns the server's command-line arguments (after the main class).
     *
     * @return the arguments
     */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of(
                "--impl", impl,
                "--app", app.name(),
                "--message-size", Integer.toString(messageSize),
                "--io-threads", Integer.toString(ioThreads),
                "--executor", executor,
                "--reads", copyingReads ? "copy" : "lend",
                "--inbound-limit", Integer.toString(inboundLimit)));
        properties.forEach((key, value) -> args.addAll(List.of("--prop", key + "=" + value)));
        if (tlsKeyStore != null) {
            args.addAll(List.of("--tls-keystore", tlsKeyStore, "--tls-password", tlsPassword));
        }
        args.addAll(extraArguments);
        return args;
    }
}
