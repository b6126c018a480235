package net.corosio.examples.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.TransportException;
import net.corosio.examples.OkioConnection;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one RESP client: commands one after another, replies in order. Pipelining needs nothing
 * special: replies are buffered and flushed when the server has to wait for the next command, so
 * a batch of N commands is answered in one write. A protocol error is answered in Redis's words and
 * the connection closed; a client that leaves in the middle of a command is simply let go.
 */
final class RespConnectionHandler implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RespConnectionHandler.class);

    private final RespReader reader;
    private final Commands commands;

    RespConnectionHandler(RespReader reader, Commands commands) {
        this.reader = reader;
        this.commands = commands;
    }

    @Override
    public void handle(Connection connection) {
        OkioConnection io = OkioConnection.of(connection, OkioConnection.FlushPolicy.BEFORE_READ);
        BufferedSource in = io.source();
        BufferedSink out = io.sink();
        try {
            while (true) {
                List<ByteString> args;
                try {
                    args = reader.read(in);
                } catch (RespProtocolError e) {
                    RespWriter.error(out, "ERR " + e.getMessage());
                    break;
                }
                if (args == null || !args.isEmpty() && !commands.execute(args, out)) {
                    break;
                }
            }
            out.flush();
        } catch (EOFException | InterruptedIOException e) {
            LOG.debug("client left mid-command or timed out: {}", e.getMessage());
        } catch (TransportException e) {
            LOG.debug("connection ended: {}", e.getMessage());
        } catch (IOException e) {
            LOG.debug("connection failed: {}", e.getMessage());
        }
    }
}
