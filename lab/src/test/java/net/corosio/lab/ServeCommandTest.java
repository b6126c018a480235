package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.corosio.lab.bench.ServerSpec;
import net.corosio.lab.server.ControlPort;
import net.corosio.lab.server.ServerApp;
import net.corosio.lab.server.ServerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Two hosts, on one: a served backend with its control port, and bench driving it from outside. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private static int run(StringWriter out, String... args) {
        CommandLine command = Corosio.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(out, true));
        return command.execute(args);
    }

    @Test
    @Timeout(60)
    void benchWithAControlPortReportsTheRemoteServersFigures() throws Exception {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(new ServerSpec("loom", ServerApp.ECHO, 64, 0, "virtual", false, 0, Map.of(), null, null,
                java.util.List.of()).arguments().toArray(String[]::new));
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerMain.Running server = main.start(any);
                ControlPort control = new ControlPort(any, Map.of("impl", "loom", "app", "ECHO"), server.counters())) {
            StringWriter out = new StringWriter();
            int code = run(out, "bench", "--scenario", "echo", "--target", "127.0.0.1:" + server.address().getPort(),
                    "--control", "127.0.0.1:" + control.address().getPort(), "--warmup", "0s", "--duration", "300ms",
                    "--connections", "4", "--work-dir", dir.toString());
            assertEquals(Corosio.OK, code, out::toString);
            String row = out.toString().lines().filter(l -> l.startsWith("loom at 127.0.0.1:")).findFirst().orElseThrow(
                    () -> new AssertionError("no row named after the served backend: " + out));
            assertTrue(row.contains("MiB") && row.trim().endsWith("ok"), "the row has the server's memory: " + row);

            StringWriter skipped = new StringWriter();
            run(skipped, "bench", "--scenario", "bulk", "--target", "127.0.0.1:" + server.address().getPort(),
                    "--control", "127.0.0.1:" + control.address().getPort(), "--warmup", "0s", "--duration", "100ms");
            assertTrue(skipped.toString().contains("needs corosio serve --app sink"), skipped::toString);
        }
    }

    @Test
    @Timeout(60)
    void serveListensWhereToldAndStopsWhenItsTimeIsUp() throws Exception {
        StringWriter out = new StringWriter();
        Thread serving = Thread.ofVirtual().start(() -> run(out, "serve", "--impl", "nio", "--listen", "127.0.0.1:0",
                "--for", "1s"));
        serving.join(java.time.Duration.ofSeconds(30));
        Matcher line = Pattern.compile("serving nio \\(echo\\) on 127\\.0\\.0\\.1:[0-9]+; control port 127\\.0\\.0\\.1:[0-9]+")
                .matcher(out.toString());
        assertTrue(line.find(), out::toString);
        assertTrue(out.toString().contains("stopped"), out::toString);
    }

    @Test
    void controlWithoutTargetIsAUsageError() {
        StringWriter out = new StringWriter();
        assertEquals(CommandLine.ExitCode.USAGE, run(out, "bench", "--scenario", "echo", "--control", "127.0.0.1:7001"));
        assertTrue(out.toString().contains("--control needs --target"), out::toString);
    }
}
