package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An event-loop backend resumed reading a connection's socket: {@code corosio.ReadResumed}. */
@Name("corosio.ReadResumed")
@Label("Read Resumed")
@Category({"net-corosio", "Backpressure"})
@Description("The reader caught up: the backend reads the socket again")
@StackTrace(false)
public final class ReadResumedEvent extends jdk.jfr.Event {

    @Label("Connection")
    public String connection;

    @Label("Queued")
    @Description("Bytes received and not yet read")
    @DataAmount
    public long queued;
}
