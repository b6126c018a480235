package net.corosio.examples.chat;

import java.io.IOException;
import java.time.Duration;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.examples.OkioConnection;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one chat member: reads its lines (on the handler's thread) and hands them to the room;
 * the member's own writer thread sends what the room queues for it. Lines are UTF-8 and end in LF
 * (a CR before it is dropped); control characters are shown as {@code ?}. A line longer than the
 * limit disconnects its sender with that reason.
 */
final class ChatHandler implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ChatHandler.class);

    private final ChatRoom room;

    ChatHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    public void handle(Connection connection) throws InterruptedException {
        // The member's writer thread owns the sink, so output is flushed explicitly, by it.
        OkioConnection io = OkioConnection.of(connection);
        Member member = room.join(io);
        String farewell = null;
        try {
            BufferedSource in = io.source();
            int max = room.limits().maxLine();
            while (true) {
                long newline = in.indexOf((byte) '\n', 0, max + 1L);
                if (newline < 0) {
                    if (in.getBuffer().size() > max) {
                        farewell = "* disconnected: line longer than " + max + " bytes";
                    }
                    break; // too long, or the member left (a last line without LF is dropped)
                }
                String line = clean(in.getBuffer(), newline);
                if (line.equals("/quit")) {
                    farewell = "* bye";
                    break;
                }
                if (line.startsWith("/nick ") && line.length() > 6 && line.length() <= 38 && line.indexOf(" ", 6) < 0) {
                    room.rename(member, line.substring(6));
                } else if (!line.isEmpty()) {
                    room.say(member, line);
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: read ended: {}", member.name(), e.getMessage());
        } finally {
            room.leave(member, farewell);
            member.awaitWriter(room.limits().writeTimeout().plus(Duration.ofSeconds(5)));
        }
    }

    /** Takes a line of {@code newline} bytes and its LF from the buffer, as printable text. */
    private static String clean(Buffer buffer, long newline) throws IOException {
        String line = buffer.readUtf8(newline);
        buffer.skip(1);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        StringBuilder printable = new StringBuilder(line.length());
        line.codePoints().forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return printable.toString();
    }
}
