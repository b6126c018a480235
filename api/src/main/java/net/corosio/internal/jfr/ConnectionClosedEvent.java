package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A connection released its socket: {@code corosio.ConnectionClosed}. */
@Name("corosio.ConnectionClosed")
@Label("Connection Closed")
@Category({"net-corosio", "Connections"})
@Description("A connection released its socket: how long it lived, what it carried, and how it ended")
@StackTrace(false)
public final class ConnectionClosedEvent extends jdk.jfr.Event {

    @Label("Connection")
    public String connection;

    @Label("Backend")
    public String backend;

    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    public long lifetime;

    @Label("Bytes Read")
    @Description("Application bytes the connection's reader took (plaintext on TLS)")
    @DataAmount
    public long bytesRead;

    @Label("Bytes Written")
    @Description("Application bytes written to the connection (plaintext on TLS)")
    @DataAmount
    public long bytesWritten;

    @Label("Failure")
    @Description("The ErrorKind the connection failed with, or null when it was closed by its owner")
    public String failure;
}
