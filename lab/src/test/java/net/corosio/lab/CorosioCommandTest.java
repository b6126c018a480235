package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import net.corosio.Transport;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line: help everywhere, meaningful exit codes, and the cheap subcommands' output. */
class CorosioCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new Corosio());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compare", "bench", "tck", "faults", "soak", "backends", "apps"})
    void everySubcommandHasHelp(String subcommand) {
        assertEquals(0, run(subcommand, "--help"));
        assertTrue(out.toString().contains("Usage: corosio " + subcommand), out::toString);
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheChoices() {
        int code = run("bench", "--scenario", "nope", "--backends", "loom");
        assertEquals(CommandLine.ExitCode.USAGE, code, err::toString);
        assertTrue(err.toString().contains("nope") && err.toString().contains("pingpong"), err::toString);
    }

    @Test
    void compareRunsEndToEndAndWritesItsResultsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path json = dir.resolve("compare.json");
        int code = run("compare", "--backends", "loom,netty-native", "--scenarios", "pingpong,idle",
                "--warmup", "PT0.1S", "--duration", "PT0.3S", "--idle-connections", "20", "--no-fork",
                "--inbound-limit", "131072", "--rounds", "2", "--json", json.toString(), "--work-dir", dir.toString());
        assertEquals(Corosio.OK, code, () -> out + "\n" + err);
        assertTrue(out.toString().contains("At a glance") && out.toString().contains("loom"), out::toString);
        com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals("corosio-results/1", file.get("schema").asText());
        assertEquals("PT0.3S", file.get("options").get("duration").asText());
        assertEquals(131072, file.get("options").get("inboundLimit").asInt(), file::toString);
        assertEquals(8, file.get("results").size(), "2 scenarios x 2 impls x 2 rounds: " + file);
        assertEquals(2, file.get("results").get(7).get("round").asInt(), file::toString);
        assertTrue(out.toString().contains("median of 2 rounds") && out.toString().contains("disagreed"), out::toString);
        assertTrue(file.get("environment").get("machine").get("cores").asInt() > 0, file::toString);
    }

    @Test
    void backendsListsEveryProviderAndTheBaselines() {
        assertEquals(Corosio.OK, run("backends"));
        for (TransportProvider provider : Transport.available()) {
            assertTrue(out.toString().contains(provider.name()), out::toString);
        }
        assertTrue(out.toString().contains("netty-native") && out.toString().contains("jetty-native"), out::toString);
    }

    @Test
    void theInteropMatrixPassesForEveryPairOfBackends() {
        assertEquals(Corosio.OK, run("tck", "--no-kit"), () -> out + "\n" + err);
        assertTrue(out.toString().contains("Interop, plain TCP") && out.toString().contains("Interop, TLS"), out::toString);
        assertTrue(!out.toString().contains("FAIL"), out::toString);
    }
}
