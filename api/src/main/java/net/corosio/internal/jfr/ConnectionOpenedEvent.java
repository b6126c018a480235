package net.corosio.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection was made or accepted: {@code corosio.ConnectionOpened}. */
@Name("corosio.ConnectionOpened")
@Label("Connection Opened")
@Category({"net-corosio", "Connections"})
@Description("A connection was made (client) or accepted (server)")
@StackTrace(false)
public final class ConnectionOpenedEvent extends jdk.jfr.Event {

    @Label("Connection")
    @Description("The backend, the local address, the direction and the peer's address")
    public String connection;

    @Label("Backend")
    public String backend;

    @Label("Server Side")
    public boolean serverSide;
}
