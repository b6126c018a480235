package net.corosio.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.corosio.lab.server.ClassHistogram;
import org.junit.jupiter.api.Test;

class HeapShareTest {

    private static final String BEFORE = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000         100000  [B (java.base@25)
               2:            10            400  java.lang.Object (java.base@25)
               3:             5            200  com.example.Gone
            Total          1015         100600
            """;

    private static final String AFTER = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1200         180000  [B (java.base@25)
               2:           110           2000  jdk.internal.vm.StackChunk (java.base@25)
               3:            30           1200  java.lang.Object (java.base@25)
               4:            20            640  net.corosio.spi.Signal
            Total          1360         183840
            """;

    @Test
    void parsesTheLinesOfAClassHistogramAndSkipsTheRest() {
        ClassHistogram histogram = ClassHistogram.parse(BEFORE);
        assertEquals(List.of(new ClassHistogram.ClassCount("[B", 1000, 100000),
                new ClassHistogram.ClassCount("java.lang.Object", 10, 400),
                new ClassHistogram.ClassCount("com.example.Gone", 5, 200)), histogram.classes());
    }

    @Test
    void sharesAreTheGrowthPerConnectionLargestFirstWithTheRestSummed() {
        List<HeapShare> shares = HeapShare.between(ClassHistogram.parse(BEFORE), ClassHistogram.parse(AFTER), 100, 2);
        assertEquals(List.of(
                new HeapShare("[B", 800, 2),
                new HeapShare("jdk.internal.vm.StackChunk", 20, 1.1),
                new HeapShare(HeapShare.OTHER, 8 + 6.4, 0.2 + 0.2)), shares);
    }

    @Test
    void classesThatShrankAreLeftOut() {
        List<HeapShare> shares = HeapShare.between(ClassHistogram.parse(AFTER), ClassHistogram.parse(BEFORE), 10, 5);
        assertEquals(List.of(new HeapShare("com.example.Gone", 20, 0.5)), shares, "only the class that grew");
    }
}
