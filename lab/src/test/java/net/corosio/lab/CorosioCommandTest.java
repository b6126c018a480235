package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.corosio.Transport;
import net.corosio.examples.DurationParser;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line: help everywhere, meaningful exit codes, and the cheap subcommands' output. */
class CorosioCommandTest {

    private final CommandRun command = new CommandRun();

    private int run(String... args) {
        return command.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compare", "bench", "tck", "faults", "soak", "backends", "apps", "report", "serve"})
    void everySubcommandHasHelp(String subcommand) {
        assertEquals(0, run(subcommand, "--help"));
        assertTrue(command.out().contains("Usage: corosio " + subcommand), command::out);
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheChoices() {
        int code = run("bench", "--scenario", "nope", "--backends", "loom");
        assertEquals(CommandLine.ExitCode.USAGE, code, command::err);
        assertTrue(command.err().contains("nope") && command.err().contains("pingpong"), command::err);
    }

    @Test
    void everyDurationOptionTakesTheSameForms() {
        List<String> checked = new ArrayList<>();
        for (var sub : Corosio.commandLine().getSubcommands().entrySet()) {
            for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
                if (option.type() != Duration.class) {
                    continue;
                }
                String name = sub.getKey() + " " + option.longestName();
                for (String text : List.of("90s", "1500ms", "2m", "1h", "PT1.5S")) {
                    assertEquals(DurationParser.parse(text), parsedValue(sub.getKey(), option.longestName(), text), name);
                }
                var bad = assertThrows(CommandLine.ParameterException.class,
                        () -> Corosio.commandLine().parseArgs(sub.getKey(), option.longestName(), "soon"), name);
                assertTrue(bad.getMessage().contains("'soon' is not a duration: write " + DurationParser.FORMS),
                        bad::getMessage);
                checked.add(name);
            }
        }
        assertTrue(checked.containsAll(List.of("bench --duration", "bench --warmup", "compare --duration",
                "compare --warmup", "apps --duration", "apps --warmup")), checked::toString);
    }

    /** Parses one option of a subcommand; the subcommand's other required options may be missing. */
    private static Object parsedValue(String subcommand, String option, String text) {
        CommandLine root = Corosio.commandLine();
        try {
            root.parseArgs(subcommand, option, text);
        } catch (CommandLine.MissingParameterException e) {
            // --scenario or --app: not what is checked here
        }
        return root.getSubcommands().get(subcommand).getCommandSpec().findOption(option).getValue();
    }

    @Test
    void aBadDurationIsAUsageErrorNamingTheValueAndTheForms() {
        int code = run("bench", "--scenario", "pingpong", "--backends", "loom", "--duration", "5 s");
        assertEquals(CommandLine.ExitCode.USAGE, code, command::err);
        assertTrue(command.err().contains("Invalid value for option '--duration': '5 s' is not a duration: write "
                + DurationParser.FORMS), command::err);
    }

    @Test
    void aBareNumberIsAUsageErrorThatSuggestsTheUnits() {
        int code = run("bench", "--scenario", "pingpong", "--backends", "loom", "--warmup", "5");
        assertEquals(CommandLine.ExitCode.USAGE, code, command::err);
        assertTrue(command.err().contains("'5' has no unit: write 5ms, 5s, 5m or 5h"), command::err);
    }

    @Test
    void aZeroMeasurementWindowIsAUsageError() {
        int code = run("bench", "--scenario", "pingpong", "--backends", "loom", "--duration", "0");
        assertEquals(CommandLine.ExitCode.USAGE, code, command::err);
        assertTrue(command.err().contains("duration must be positive: PT0S"), command::err);
    }

    @Test
    void appsTakesWholeSecondsBecauseWrkCountsInSeconds() {
        int code = run("apps", "--app", "http", "--duration", "1500ms");
        assertEquals(CommandLine.ExitCode.USAGE, code, command::err);
        assertTrue(command.err().contains("--duration must be whole seconds, at least 1s (wrk counts in seconds), not 1500ms"),
                command::err);
    }

    @Test
    void compareRunsEndToEndAndWritesItsResultsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path json = dir.resolve("compare.json");
        int code = run("compare", "--backends", "loom,netty-native", "--scenarios", "pingpong,idle",
                "--warmup", "100ms", "--duration", "PT0.3S", "--idle-connections", "20", "--no-fork",
                "--inbound-limit", "131072", "--rounds", "2", "--json", json.toString(), "--work-dir", dir.toString(),
                "--sweeps", "none", "--report", dir.resolve("report.html").toString());
        assertEquals(Corosio.OK, code, command::both);
        assertTrue(command.out().contains("At a glance") && command.out().contains("loom"), command::out);
        com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals("corosio-results/1", file.get("schema").asText());
        assertEquals("PT0.3S", file.get("options").get("duration").asText());
        assertEquals(131072, file.get("options").get("inboundLimit").asInt(), file::toString);
        assertEquals(8, file.get("results").size(), "2 scenarios x 2 impls x 2 rounds: " + file);
        assertEquals(2, file.get("results").get(7).get("round").asInt(), file::toString);
        assertTrue(command.out().contains("median of 2 rounds") && command.out().contains("disagreed"), command::out);
        assertTrue(command.out().contains("wrote the report " + dir.resolve("report.html").toAbsolutePath()), command::out);
        assertTrue(file.get("environment").get("machine").get("cores").asInt() > 0, file::toString);
    }

    @Test
    void backendsListsEveryProviderAndTheBaselines() {
        assertEquals(Corosio.OK, run("backends"));
        for (TransportProvider provider : Transport.available()) {
            assertTrue(command.out().contains(provider.name()), command::out);
        }
        assertTrue(command.out().contains("netty-native") && command.out().contains("jetty-native"), command::out);
    }

    @Test
    void theInteropMatrixPassesForEveryPairOfBackends(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertEquals(Corosio.OK, run("tck", "--no-kit", "--json", dir.resolve("tck.json").toString()), command::both);
        assertTrue(command.out().contains("Interop, plain TCP") && command.out().contains("Interop, TLS"), command::out);
        assertTrue(!command.out().contains("FAIL"), command::out);
        com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("tck.json").toFile());
        assertEquals("corosio-tck/1", file.get("schema").asText());
        int backends = Transport.available().size();
        assertEquals(2 * backends * backends, file.get("interop").size(), "plain and TLS, every pair: " + file);
    }
}
