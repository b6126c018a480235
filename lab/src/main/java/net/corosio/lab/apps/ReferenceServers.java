package net.corosio.lab.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The native servers an apps run measures beside the examples, in the same run and under the same
 * client, when they are installed: nginx for {@code http} (one worker, serving the same hello body
 * from a minimal configuration written to a temporary directory), redis-server for {@code resp}
 * (a temporary port, no persistence). Both listen on loopback only.
 */
final class ReferenceServers {

    /** The body the http example's {@code /} answers, which nginx is configured to answer too. */
    static final String HELLO = "Hello, World!\\n";

    private ReferenceServers() {}

    /**
     * Starts nginx if it is installed.
     *
     * @param dir a fresh directory for its configuration, temporary files and logs
     * @return the running server, or empty when nginx is not installed
     * @throws IOException if it is installed but does not start
     */
    static Optional<ServerUnderTest> nginx(Path dir) throws IOException {
        Optional<Path> nginx = Programs.find("nginx");
        if (nginx.isEmpty()) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        int port = Programs.freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 100000000;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            default_type "text/plain; charset=utf-8";
                            return 200 "%3$s";
                        }
                    }
                }
                """.formatted(dir.toAbsolutePath(), port, HELLO));
        return Optional.of(ServerUnderTest.reference("nginx", List.of(nginx.get().toString(), "-p",
                dir.toAbsolutePath().toString(), "-e", dir.resolve("error.log").toAbsolutePath().toString(), "-c",
                conf.toAbsolutePath().toString()), port, dir.resolve("nginx.out")));
    }

    /**
     * Starts redis-server if it is installed.
     *
     * @param dir a fresh directory for its working files and log
     * @return the running server, or empty when redis-server is not installed
     * @throws IOException if it is installed but does not start
     */
    static Optional<ServerUnderTest> redis(Path dir) throws IOException {
        Optional<Path> redis = Programs.find("redis-server");
        if (redis.isEmpty()) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        int port = Programs.freePort();
        return Optional.of(ServerUnderTest.reference("redis-server", List.of(redis.get().toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "no", "--dir", dir.toAbsolutePath().toString(),
                "--logfile", dir.resolve("redis.log").toAbsolutePath().toString()), port, dir.resolve("redis.out")));
    }
}
