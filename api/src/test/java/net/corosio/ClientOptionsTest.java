package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** {@link ClientOptions}: defaults, checks and the builder. */
class ClientOptionsTest {

    @Test
    void defaultsArePlainTcpWithATenSecondConnectTimeout() {
        ClientOptions d = ClientOptions.defaults();
        assertEquals(Duration.ofSeconds(10), d.connectTimeout());
        assertSame(ConnectionOptions.defaults(), d.connection());
        assertNull(d.tls());
        assertNull(d.localAddress());
        assertEquals(d, ClientOptions.builder().build());
    }

    @Test
    void aNegativeConnectTimeoutIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().connectTimeout(Duration.ofMillis(-1)).build());
        assertEquals("connectTimeout < 0: PT-0.001S", e.getMessage());
        assertEquals(Duration.ZERO, ClientOptions.builder().connectTimeout(Duration.ZERO).build().connectTimeout(),
                "zero means the system's own limit");
    }

    @Test
    void nullComponentsAreRejectedByName() {
        assertEquals("connectTimeout", assertThrows(NullPointerException.class,
                () -> ClientOptions.builder().connectTimeout(null).build()).getMessage());
        assertEquals("connection", assertThrows(NullPointerException.class,
                () -> ClientOptions.builder().connection(null).build()).getMessage());
    }

    @Test
    void toBuilderRoundTripsEveryComponent() throws Exception {
        ClientOptions o = ClientOptions.builder()
                .connectTimeout(Duration.ofMillis(250))
                .connection(ConnectionOptions.builder().readTimeout(Duration.ofSeconds(3)).build())
                .tls(TlsConfig.builder(SSLContext.getDefault()).serverName("example.test").build())
                .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build();
        assertEquals(o, o.toBuilder().build());
        ClientOptions plain = o.toBuilder().tls(null).build();
        assertNull(plain.tls());
        assertEquals(o.connection(), plain.connection());
        assertEquals(o.localAddress(), plain.localAddress());
    }
}
