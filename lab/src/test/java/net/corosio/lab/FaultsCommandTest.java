package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corosio faults} end to end on a small subset, and its results file read back. */
class FaultsCommandTest {

    private final CommandRun command = new CommandRun();

    private int run(String... args) {
        return command.run(args);
    }

    @Test
    void aSubsetRunsEndToEndMeetsTheSpecAndWritesItsResultsFile(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("faults.json");
        int code = run("faults", "--backends", "loom,nio", "--faults", "reset_peer,limit_data,down",
                "--json", json.toString());
        assertEquals(Corosio.OK, code, command::both);
        assertTrue(command.out().contains("reset_peer") && command.out().contains("0 departing"), command::out);

        JsonNode file = new ObjectMapper().readTree(json.toFile());
        assertEquals("corosio-faults/1", file.get("schema").asText());
        // 3 variants (loom, nio, nio@loop: loom carries no handlers on a loop) x (2 faults x 2 directions
        // x 2 roles x 2 TLS choices + 'down' as a client, plain and TLS)
        assertEquals(54, file.get("cells").size(), file::toString);
        for (JsonNode cell : file.get("cells")) {
            assertEquals("ok", cell.get("status").asText(), cell::toString);
            assertEquals(cell.get("expected").asText(), cell.get("outcome").asText(), cell::toString);
            assertEquals(0, cell.get("lost").asLong() + cell.get("duplicated").asLong() + cell.get("corrupted").asLong(),
                    cell::toString);
        }
        JsonNode limitReceived = find(file, "limit_data", "downstream", "client", false);
        assertEquals("end-of-stream", limitReceived.get("outcome").asText());
        assertEquals(40_007, limitReceived.get("forwarded").asLong(), limitReceived::toString);
        assertEquals(40_007, limitReceived.get("delivered").asLong(), limitReceived::toString);
        assertEquals(0, file.get("summary").get("departing").asInt());
        assertTrue(file.get("environment").get("machine").get("cores").asInt() > 0);
        assertEquals(List.of("loom", "nio", "nio@loop"), labels(file.get("options").get("variants")));
    }

    private static List<String> labels(JsonNode array) {
        List<String> labels = new ArrayList<>();
        array.forEach(label -> labels.add(label.asText()));
        return labels;
    }

    private static JsonNode find(JsonNode file, String fault, String direction, String role, boolean tls) {
        for (JsonNode cell : file.get("cells")) {
            if (cell.get("fault").asText().equals(fault) && cell.get("direction").asText().equals(direction)
                    && cell.get("role").asText().equals(role) && cell.get("tls").asBoolean() == tls) {
                return cell;
            }
        }
        throw new AssertionError("no cell " + fault + " " + direction + " " + role + " " + tls + " in " + file);
    }

    @Test
    void anUnknownFaultIsAUsageErrorNamingTheFaults() {
        int code = run("faults", "--backends", "loom", "--faults", "meteor");
        assertTrue(code != Corosio.OK, command::err);
        assertTrue(command.err().contains("meteor") && command.err().contains("reset_peer"), command::err);
    }
}
