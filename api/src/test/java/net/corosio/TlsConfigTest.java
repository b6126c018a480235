package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TlsConfig}: secure defaults, the protocols it refuses, checks and the builder. */
class TlsConfigTest {

    private static SSLContext context;

    @BeforeAll
    static void context() throws Exception {
        context = SSLContext.getDefault();
    }

    @Test
    void defaultsAreTls13And12WithHostnameVerificationOn() {
        TlsConfig d = TlsConfig.builder(context).build();
        assertSame(context, d.context());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), d.protocols());
        assertEquals(List.of(), d.cipherSuites());
        assertEquals(List.of(), d.applicationProtocols());
        assertEquals(ClientAuth.NONE, d.clientAuth());
        assertNull(d.serverName());
        assertTrue(d.hostnameVerification());
        assertTrue(TlsConfig.client().hostnameVerification());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), TlsConfig.client().protocols());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello", "tlsv1.3", "TLSv1.4"})
    void protocolsOtherThanTls13And12AreRejectedByName(String protocol) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder(context).protocols("TLSv1.3", protocol).build());
        assertTrue(e.getMessage().contains(protocol), e::getMessage);
        assertTrue(e.getMessage().startsWith("protocol not allowed: "), e::getMessage);
    }

    @Test
    void anEmptyProtocolListIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder(context).protocols(List.of()).build());
        assertTrue(e.getMessage().contains("protocols is empty"), e::getMessage);
    }

    @Test
    void eitherAllowedProtocolAloneIsAccepted() {
        assertEquals(List.of("TLSv1.2"), TlsConfig.builder(context).protocols("TLSv1.2").build().protocols());
        assertEquals(List.of("TLSv1.3"), TlsConfig.builder(context).protocols("TLSv1.3").build().protocols());
    }

    @Test
    void blankEntriesAndABlankServerNameAreRejectedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder(context).cipherSuites(List.of(" ")).build())
                .getMessage().startsWith("cipherSuites holds a blank entry"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder(context).applicationProtocols("h2", "").build())
                .getMessage().startsWith("applicationProtocols holds a blank entry"));
        assertEquals("serverName is blank: ' '", assertThrows(IllegalArgumentException.class,
                () -> TlsConfig.builder(context).serverName(" ").build()).getMessage());
    }

    @Test
    void nullsAreRejectedByName() {
        assertEquals("context", assertThrows(NullPointerException.class,
                () -> TlsConfig.builder(null).build()).getMessage());
        assertEquals("clientAuth", assertThrows(NullPointerException.class,
                () -> TlsConfig.builder(context).clientAuth(null).build()).getMessage());
        assertThrows(NullPointerException.class, () -> TlsConfig.builder(context).protocols((List<String>) null).build());
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<String> alpn = new ArrayList<>(List.of("h2", "http/1.1"));
        TlsConfig config = TlsConfig.builder(context).applicationProtocols(alpn).build();
        alpn.add("spdy/3");
        assertEquals(List.of("h2", "http/1.1"), config.applicationProtocols());
        assertThrows(UnsupportedOperationException.class, () -> config.protocols().add("TLSv1.1"));
    }

    @Test
    void toBuilderRoundTripsEveryComponent() {
        TlsConfig o = TlsConfig.builder(context)
                .protocols("TLSv1.2")
                .cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .applicationProtocols("h2")
                .clientAuth(ClientAuth.NEED)
                .serverName("example.test")
                .hostnameVerification(false)
                .build();
        assertEquals(o, o.toBuilder().build());
        TlsConfig verified = o.toBuilder().hostnameVerification(true).build();
        assertTrue(verified.hostnameVerification());
        assertEquals(o.clientAuth(), verified.clientAuth());
        assertEquals(o.serverName(), verified.serverName());
    }
}
