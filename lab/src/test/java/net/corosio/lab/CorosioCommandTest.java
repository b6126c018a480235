package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.corosio.Transport;
import net.corosio.spi.TransportProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line: help everywhere, meaningful exit codes, and the cheap subcommands' output. */
class CorosioCommandTest {

    private final CommandRun command = new CommandRun();

    private int run(String... args) {
        return command.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compare", "bench", "tck", "faults", "soak", "backends", "apps"})
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
    void compareRunsEndToEndAndWritesItsResultsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path json = dir.resolve("compare.json");
        int code = run("compare", "--backends", "loom,netty-native", "--scenarios", "pingpong,idle",
                "--warmup", "PT0.1S", "--duration", "PT0.3S", "--idle-connections", "20", "--no-fork",
                "--inbound-limit", "131072", "--rounds", "2", "--json", json.toString(), "--work-dir", dir.toString());
        assertEquals(Corosio.OK, code, command::both);
        assertTrue(command.out().contains("At a glance") && command.out().contains("loom"), command::out);
        com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals("corosio-results/1", file.get("schema").asText());
        assertEquals("PT0.3S", file.get("options").get("duration").asText());
        assertEquals(131072, file.get("options").get("inboundLimit").asInt(), file::toString);
        assertEquals(8, file.get("results").size(), "2 scenarios x 2 impls x 2 rounds: " + file);
        assertEquals(2, file.get("results").get(7).get("round").asInt(), file::toString);
        assertTrue(command.out().contains("median of 2 rounds") && command.out().contains("disagreed"), command::out);
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
    void theInteropMatrixPassesForEveryPairOfBackends() {
        assertEquals(Corosio.OK, run("tck", "--no-kit"), command::both);
        assertTrue(command.out().contains("Interop, plain TCP") && command.out().contains("Interop, TLS"), command::out);
        assertTrue(!command.out().contains("FAIL"), command::out);
    }
}
