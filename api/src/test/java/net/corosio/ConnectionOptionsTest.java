package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link ConnectionOptions}: defaults, range checks whose messages name the value, builders. */
class ConnectionOptionsTest {

    private static void expectRejected(String message, Consumer<ConnectionOptions.Builder> change) {
        ConnectionOptions.Builder builder = ConnectionOptions.builder();
        change.accept(builder);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ConnectionOptions d = ConnectionOptions.defaults();
        assertEquals(Duration.ZERO, d.readTimeout());
        assertEquals(Duration.ZERO, d.writeTimeout());
        assertEquals(Duration.ZERO, d.idleTimeout());
        assertEquals(Duration.ofSeconds(10), d.tlsHandshakeTimeout());
        assertEquals(Duration.ofSeconds(5), d.closeTimeout());
        assertEquals(256 * 1024, d.inboundLimit());
        assertEquals(64 * 1024, d.writeHighWaterMark());
        assertEquals(32 * 1024, d.writeLowWaterMark());
        assertSame(SocketOptions.defaults(), d.socket());
        assertEquals(d, ConnectionOptions.builder().build());
    }

    @Test
    void negativeTimeoutsAreRejectedNamingTheParameterAndValue() {
        Duration minusOne = Duration.ofSeconds(-1);
        expectRejected("readTimeout < 0: PT-1S", b -> b.readTimeout(minusOne));
        expectRejected("writeTimeout < 0: PT-1S", b -> b.writeTimeout(minusOne));
        expectRejected("idleTimeout < 0: PT-1S", b -> b.idleTimeout(minusOne));
        expectRejected("tlsHandshakeTimeout < 0: PT-1S", b -> b.tlsHandshakeTimeout(minusOne));
        expectRejected("closeTimeout < 0: PT-0.001S", b -> b.closeTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void zeroTimeoutsMeanNoTimeoutAndAreAccepted() {
        ConnectionOptions o = ConnectionOptions.builder()
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .idleTimeout(Duration.ZERO)
                .tlsHandshakeTimeout(Duration.ZERO)
                .closeTimeout(Duration.ZERO)
                .build();
        assertEquals(Duration.ZERO, o.closeTimeout());
    }

    @Test
    void limitsOutOfRangeAreRejectedNamingTheParameterAndValue() {
        expectRejected("inboundLimit <= 0: 0", b -> b.inboundLimit(0));
        expectRejected("inboundLimit <= 0: -5", b -> b.inboundLimit(-5));
        expectRejected("writeHighWaterMark <= 0: 0", b -> b.writeWaterMarks(0, 0));
        expectRejected("writeLowWaterMark < 0: -1", b -> b.writeWaterMarks(-1, 10));
        expectRejected("writeLowWaterMark > writeHighWaterMark: 11 > 10", b -> b.writeWaterMarks(11, 10));
    }

    @Test
    void equalWaterMarksAndAZeroLowMarkAreAllowed() {
        assertEquals(10, ConnectionOptions.builder().writeWaterMarks(10, 10).build().writeLowWaterMark());
        assertEquals(0, ConnectionOptions.builder().writeWaterMarks(0, 1).build().writeLowWaterMark());
    }

    @Test
    void nullComponentsAreRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ConnectionOptions.builder().readTimeout(null).build());
        assertEquals("readTimeout", e.getMessage());
        NullPointerException s = assertThrows(NullPointerException.class,
                () -> ConnectionOptions.builder().socket(null).build());
        assertEquals("socket", s.getMessage());
    }

    @Test
    void theCanonicalConstructorChecksToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionOptions(
                Duration.ZERO, Duration.ofNanos(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                1, 1, 0, SocketOptions.defaults()));
        assertEquals("writeTimeout < 0: PT-0.000000001S", e.getMessage());
    }

    @Test
    void toBuilderRoundTripsEveryComponent() {
        ConnectionOptions o = ConnectionOptions.builder()
                .readTimeout(Duration.ofMillis(1))
                .writeTimeout(Duration.ofMillis(2))
                .idleTimeout(Duration.ofMillis(3))
                .tlsHandshakeTimeout(Duration.ofMillis(4))
                .closeTimeout(Duration.ofMillis(5))
                .inboundLimit(6)
                .writeWaterMarks(7, 8)
                .socket(SocketOptions.defaults().withReceiveBufferSize(9).withKeepAlive(true))
                .build();
        assertEquals(o, o.toBuilder().build());
        assertEquals(Duration.ofMillis(5), o.closeTimeout());
        assertEquals(7, o.writeLowWaterMark());
        assertEquals(8, o.writeHighWaterMark());
        ConnectionOptions changed = o.toBuilder().inboundLimit(100).build();
        assertEquals(100, changed.inboundLimit());
        assertEquals(o.readTimeout(), changed.readTimeout());
        assertEquals(6, o.inboundLimit(), "the original is unchanged");
    }
}
