package net.corosio.examples.chat;

import java.net.InetSocketAddress;
import java.util.List;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.examples.ExampleArgs.Option;
import net.corosio.examples.Launcher;

/**
 * A line-based chat: every line a client sends goes to every connected client, with an explicit
 * slow-consumer policy (see {@link ChatRoom}) so fan-out never grows memory without bound. Try it
 * with two terminals running {@code nc 127.0.0.1 7070} (or {@code openssl s_client} with
 * {@code --tls}).
 *
 * <pre>{@code java -cp lab/target/corosio.jar net.corosio.examples.chat.ChatServer --backend netty --port 7070}</pre>
 */
public final class ChatServer {

    private static final List<Option> OPTIONS = List.of(
            new Option("--max-line", "BYTES", "the longest line a client may send (default 1k)"),
            new Option("--queue", "LINES", "lines queued per client before it is disconnected as too slow (default 256)"),
            new Option("--write-timeout", "DURATION", "abort a client that reads nothing this long (default 10s)"));

    private ChatServer() {}

    /**
     * Starts a chat server on a room.
     *
     * @param transport the backend
     * @param address where to listen
     * @param options how to listen; its write timeout is replaced by the room's
     * @param room the room every connection joins
     * @return the running server
     * @throws TransportException if it cannot listen there
     */
    public static Server serve(Transport transport, InetSocketAddress address, ServerOptions options, ChatRoom room)
            throws TransportException {
        ServerOptions withTimeout = options.toBuilder()
                .connection(options.connection().toBuilder().writeTimeout(room.limits().writeTimeout()).build())
                .build();
        return transport.serve(address, withTimeout, new ChatHandler(room));
    }

    /**
     * Runs the chat server; {@code --help} lists the options.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Launcher.main("chat", 7070, OPTIONS, args, (transport, parsed, options) -> {
            ChatLimits defaults = ChatLimits.defaults();
            ChatLimits limits = new ChatLimits(parsed.size("--max-line", defaults.maxLine()),
                    parsed.integer("--queue", defaults.queueMessages(), 1, 1_000_000),
                    parsed.duration("--write-timeout", defaults.writeTimeout()));
            return serve(transport, parsed.listenAddress(7070), options, new ChatRoom(limits));
        });
    }
}
