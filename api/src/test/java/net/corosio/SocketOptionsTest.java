package net.corosio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link SocketOptions}: defaults, range checks and the copy-with methods. */
class SocketOptionsTest {

    @Test
    void defaultsAreNoDelayNoKeepAliveReuseAddressAndSystemBuffers() {
        SocketOptions d = SocketOptions.defaults();
        assertTrue(d.tcpNoDelay());
        assertFalse(d.keepAlive());
        assertTrue(d.reuseAddress());
        assertEquals(0, d.receiveBufferSize());
        assertEquals(0, d.sendBufferSize());
    }

    @Test
    void negativeBufferSizesAreRejectedNamingTheParameterAndValue() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> SocketOptions.defaults().withReceiveBufferSize(-1));
        assertEquals("receiveBufferSize < 0: -1", r.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> new SocketOptions(true, false, true, 0, -4096));
        assertEquals("sendBufferSize < 0: -4096", s.getMessage());
    }

    @Test
    void eachWithMethodChangesOnlyItsComponent() {
        SocketOptions d = SocketOptions.defaults();
        assertEquals(new SocketOptions(true, false, true, 4096, 0), d.withReceiveBufferSize(4096));
        assertEquals(new SocketOptions(true, false, true, 0, 8192), d.withSendBufferSize(8192));
        assertEquals(new SocketOptions(false, false, true, 0, 0), d.withTcpNoDelay(false));
        assertEquals(new SocketOptions(true, true, true, 0, 0), d.withKeepAlive(true));
        assertEquals(new SocketOptions(true, false, true, 0, 0), d, "the defaults are unchanged");
    }
}
