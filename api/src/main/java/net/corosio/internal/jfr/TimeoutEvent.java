package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One of a connection's timeouts fired: {@code corosio.Timeout}. */
@Name("corosio.Timeout")
@Label("Timeout")
@Category({"net-corosio", "Connections"})
@Description("A read, write, idle or TLS handshake timeout fired on a connection")
@StackTrace(false)
public final class TimeoutEvent extends jdk.jfr.Event {

    @Label("Connection")
    public String connection;

    @Label("Kind")
    @Description("READ_TIMEOUT, WRITE_TIMEOUT, IDLE_TIMEOUT or TLS_HANDSHAKE")
    public String kind;
}
