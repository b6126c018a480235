package net.corosio.lab.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A faults results file becomes the failure section's faults matrix; without one, the page says so. */
class FaultsReaderTest {

    @TempDir
    Path dir;

    @Test
    void aFaultsFileBecomesAFaultByBackendMatrix() throws Exception {
        Path file = dir.resolve("corosio-faults.json");
        Files.writeString(file, """
                {"schema": "corosio-faults/1", "command": "faults",
                 "results": [
                   {"fault": "reset mid-stream", "backend": "loom", "status": "ok"},
                   {"fault": "reset mid-stream", "backend": "jetty", "status": "FAIL", "detail": "read returned -1"},
                   {"fault": "slow peer", "backend": "loom", "status": "ok"},
                   {"fault": "slow peer", "backend": "jetty", "status": "ok"}]}
                """);
        ReportInputs inputs = ReportInputs.read(List.of(file));
        assertNotNull(inputs.faults(), inputs.problems()::toString);
        assertEquals(List.of("loom", "jetty"), inputs.faults().columns());
        assertEquals("FAIL", inputs.faults().cells().get("reset mid-stream").get("jetty"));
        Section section = FailureSection.build(inputs, null);
        assertTrue(section.answer().contains("3 of 4 fault × backend cells behave as specified"), section::answer);
        assertTrue(section.evidence().contains("reset mid-stream on jetty: read returned -1"), section::evidence);
    }

    @Test
    void withoutAFaultsFileThePageSaysHowToMakeOne() {
        ReportInputs inputs = ReportInputs.read(List.of());
        assertNull(inputs.faults());
        assertTrue(FailureSection.build(inputs, null).evidence().contains("no faults results; run ./corosio faults"));
    }

    @Test
    void aFileOfAnotherKindIsNamedAsNotRead() throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"schema\": \"something-else/1\"}");
        ReportInputs inputs = ReportInputs.read(List.of(file));
        assertEquals(1, inputs.problems().size());
        assertTrue(inputs.problems().getFirst().contains("something-else/1"), inputs.problems()::toString);
    }
}
