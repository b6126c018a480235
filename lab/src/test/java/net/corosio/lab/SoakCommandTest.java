package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corosio soak}: a short soak on every backend, and its file read back. */
class SoakCommandTest {

    private final CommandRun command = new CommandRun();

    private int run(String... args) {
        return command.run(args);
    }

    @Test
    void aShortSoakOnEveryBackendHoldsAndWritesItsTrends(@TempDir Path dir) throws Exception {
        // About a minute in all: 45 s of traffic, plus starting and settling four server JVMs.
        Path json = dir.resolve("soak.json");
        int code = run("soak", "--duration", "45s", "--json", json.toString(), "--work-dir", dir.toString());
        assertEquals(Corosio.OK, code, command::both);
        JsonNode file = new ObjectMapper().readTree(json.toFile());
        assertEquals("corosio-soak/1", file.get("schema").asText());
        assertEquals("PT45S", file.get("options").get("duration").asText());
        for (JsonNode result : file.get("results")) {
            assertTrue(result.get("outcomes").get("ok").asLong() > 0, result::toString);
            assertTrue(result.get("samples").size() >= 10, result::toString);
            assertEquals(5, result.get("trends").size(), result::toString);
            assertEquals(0, result.get("after").get("connections").asLong(), result::toString);
        }
    }
}
