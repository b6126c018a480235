package net.corosio.lab.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The '// @corrects' markers: how they are read, and that every backend carries them. */
class CorrectionTest {

    @Test
    void aMarkerRunsOverItsCommentLinesUntilItsSentenceEnds() {
        List<Correction> found = Correction.parse("jetty", "A.java", List.of(
                "    // @corrects reset-on-read: Jetty's fill() returns -1 on a reset;",
                "    // this fill lets the IOException through.",
                "    // An ordinary comment that is not part of the marker.",
                "    int fill() {"));
        assertEquals(1, found.size(), found::toString);
        Correction c = found.getFirst();
        assertEquals("reset-on-read", c.id());
        assertEquals(1, c.line());
        assertEquals("Jetty's fill() returns -1 on a reset; this fill lets the IOException through.", c.text());
    }

    @Test
    void twoMarkersInARowAreTwoCorrections() {
        List<Correction> found = Correction.parse("netty", "B.java", List.of(
                "// @corrects tls-a: one thing", "// @corrects tls-b: another.", "class B {}"));
        assertEquals(List.of("tls-a", "tls-b"), found.stream().map(Correction::id).toList());
        assertEquals("one thing", found.getFirst().text());
    }

    @Test
    void somethingThatOnlyLooksLikeAMarkerIsNotOne() {
        assertTrue(Correction.parse("nio", "C.java", List.of(
                "/* @corrects in a block comment: no */", "// @corrects Not-An-Id: no", "String s = \"// @corrects x: no\";"))
                .isEmpty());
    }

    @Test
    void everyBackendMarksTheCorrectionsItMakes() {
        Path root = Architecture.findRoot(Path.of("")).orElseThrow(() -> new AssertionError("no project above " + Path.of("").toAbsolutePath()));
        Architecture architecture = Architecture.measure(root);
        assertFalse(architecture.adapters().isEmpty(), "no backend modules found");
        for (Adapter adapter : architecture.adapters()) {
            assertFalse(adapter.corrections().isEmpty(), () -> adapter.name() + " marks no correction");
            assertTrue(adapter.corrections().stream().allMatch(c -> c.text().endsWith(".")), adapter.corrections()::toString);
            assertTrue(adapter.codeLines() > adapter.tlsLines() && adapter.tlsLines() > 0, adapter::toString);
        }
        assertTrue(architecture.kitTests() > 100, "the kit's rule tests are counted: " + architecture.kitTests());
        assertTrue(architecture.sharedSpiLines() > 0, architecture::toString);
    }
}
