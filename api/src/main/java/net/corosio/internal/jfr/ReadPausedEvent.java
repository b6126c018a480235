package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * An event-loop backend stopped or resumed reading a connection's socket for backpressure:
 * {@code corosio.ReadPaused} / {@code corosio.ReadResumed} share this shape.
 */
@Name("corosio.ReadPaused")
@Label("Read Paused")
@Category({"net-corosio", "Backpressure"})
@Description("The reader fell behind by the inbound limit: the backend stopped reading the socket")
@StackTrace(false)
public final class ReadPausedEvent extends jdk.jfr.Event {

    @Label("Connection")
    public String connection;

    @Label("Queued")
    @Description("Bytes received and not yet read")
    @DataAmount
    public long queued;
}
