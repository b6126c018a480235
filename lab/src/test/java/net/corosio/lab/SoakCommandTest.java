package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code corosio soak}: a short soak on every backend, and its file read back. */
class SoakCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new Corosio());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void aShortSoakOnEveryBackendHoldsAndWritesItsTrends(@TempDir Path dir) throws Exception {
        // About a minute in all: 45 s of traffic, plus starting and settling four server JVMs.
        Path json = dir.resolve("soak.json");
        int code = run("soak", "--duration", "45s", "--json", json.toString(), "--work-dir", dir.toString());
        assertEquals(Corosio.OK, code, () -> out + "\n" + err);
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
