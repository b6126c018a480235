package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A TLS handshake ended, well or not: {@code corosio.TlsHandshake}. */
@Name("corosio.TlsHandshake")
@Label("TLS Handshake")
@Category({"net-corosio", "TLS"})
@Description("A connection's TLS handshake ended: how long it took, what it agreed on, or why it failed")
@StackTrace(false)
public final class TlsHandshakeEvent extends jdk.jfr.Event {

    @Label("Connection")
    public String connection;

    @Label("Handshake Time")
    @Description("From the connection's start to the handshake's end")
    @Timespan(Timespan.NANOSECONDS)
    public long handshakeTime;

    @Label("Protocol")
    public String protocol;

    @Label("Cipher Suite")
    public String cipherSuite;

    @Label("Failure")
    @Description("Why the handshake failed, or null when it succeeded")
    public String failure;
}
