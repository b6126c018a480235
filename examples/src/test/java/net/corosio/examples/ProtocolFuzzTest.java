package net.corosio.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.corosio.examples.http.HttpFuzzing;
import net.corosio.examples.resp.RespFuzzing;

/**
 * Fuzzes both parsers, and the connection handlers built on them, with Jazzer: the first byte of
 * an input picks the protocol (even: HTTP, odd: RESP), the rest is what a client sends; the
 * properties are in {@link HttpFuzzing} and {@link RespFuzzing}.
 *
 * <p>One target for both because Jazzer fuzzes a single test per JVM and its start-up (agent,
 * hooks, instrumentation) costs far more than the fuzzing itself; splitting the input keeps each
 * protocol's coverage feedback separate anyway.
 *
 * <p>{@code mvn verify} runs it in Jazzer's fuzzing mode for {@code corosio.fuzz.duration} (see the
 * examples' pom), starting from the seeds in {@code ProtocolFuzzTestInputs} ({@code h...} files are
 * HTTP, {@code s...} files RESP) and keeping its corpus and any crashing input under {@code
 * target/jazzer}; run without {@code JAZZER_FUZZ}, as in an IDE, it replays the seeds only.
 */
class ProtocolFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyInputIsAnsweredOrEndedCleanly(byte[] input) throws Exception {
        if (input.length == 0) {
            HttpFuzzing.check(input);
            RespFuzzing.check(input);
            return;
        }
        byte[] payload = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) == 0) {
            HttpFuzzing.check(payload);
        } else {
            RespFuzzing.check(payload);
        }
    }
}
