package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-parsed command line: values, and messages that say what was wrong. */
class ExampleArgsTest {

    private static final List<ExampleArgs.Option> SPECIFIC =
            List.of(new ExampleArgs.Option("--max-body", "BYTES", "the largest body"),
                    new ExampleArgs.Option("--idle-timeout", "DURATION", "idle"));

    @Test
    void valuesFlagsSizesAndDurationsAreRead() throws Exception {
        ExampleArgs args = ExampleArgs.parse("http", new String[] {"--backend", "loom", "--port=9000", "--tls",
            "--keystore", "k.p12", "--max-body", "64k", "--idle-timeout", "500ms"}, SPECIFIC);
        assertEquals("loom", args.backend());
        assertEquals(9000, args.listenAddress(8080).getPort());
        assertTrue(args.flag("--tls"));
        assertEquals(65536, args.size("--max-body", 1));
        assertEquals(Duration.ofMillis(500), args.duration("--idle-timeout", Duration.ZERO));
        assertEquals(Duration.ofMinutes(1), ExampleArgs.parse("http", new String[] {"--idle-timeout", "PT1M"}, SPECIFIC)
                .duration("--idle-timeout", Duration.ZERO));
        args.checkTls();
    }

    @Test
    void mistakesNameTheOptionAndWhatWasExpected() throws Exception {
        var unknown = assertThrows(ExampleArgs.UsageException.class,
                () -> ExampleArgs.parse("http", new String[] {"--bakend", "loom"}, SPECIFIC));
        assertTrue(unknown.getMessage().contains("unknown option '--bakend'") && unknown.getMessage().contains("usage:"),
                unknown.getMessage());
        var missing = assertThrows(ExampleArgs.UsageException.class,
                () -> ExampleArgs.parse("http", new String[] {"--port"}, SPECIFIC));
        assertTrue(missing.getMessage().contains("--port needs a value"), missing.getMessage());
        var port = assertThrows(ExampleArgs.UsageException.class,
                () -> ExampleArgs.parse("http", new String[] {"--port", "70000"}, SPECIFIC).listenAddress(8080));
        assertTrue(port.getMessage().contains("from 0 to 65535, not '70000'"), port.getMessage());
        var duration = assertThrows(ExampleArgs.UsageException.class,
                () -> ExampleArgs.parse("http", new String[] {"--idle-timeout", "soon"}, SPECIFIC)
                        .duration("--idle-timeout", Duration.ZERO));
        assertTrue(duration.getMessage().startsWith("http: --idle-timeout: 'soon' is not a duration")
                && duration.getMessage().contains(DurationParser.FORMS), duration.getMessage());
        var tls = assertThrows(ExampleArgs.UsageException.class,
                () -> ExampleArgs.parse("http", new String[] {"--tls"}, SPECIFIC).checkTls());
        assertTrue(tls.getMessage().contains("--tls needs --keystore"), tls.getMessage());
    }
}
