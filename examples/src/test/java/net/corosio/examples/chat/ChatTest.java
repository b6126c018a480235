package net.corosio.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.corosio.ConnectionOptions;
import net.corosio.SocketOptions;
import net.corosio.examples.Running;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat example on every backend: broadcast, the slow-consumer policy, and its line limit. */
class ChatTest {

    /** One chat client on a JDK socket, reading lines with a deadline. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String name;

        Client(InetSocketAddress address, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            String welcome = in.readLine();
            assertTrue(welcome != null && welcome.startsWith("* welcome, guest-"), "welcome: " + welcome);
            name = welcome.substring("* welcome, ".length(), welcome.indexOf(' ', "* welcome, ".length()));
        }

        void say(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads lines until one equals {@code expected}; fails at the end of the stream or the deadline. */
        void await(String expected) throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(expected)) {
                    return;
                }
            }
            fail(name + " saw the stream end before '" + expected + "'");
        }

        /** Reads every remaining line; returns the last one, failing if the stream does not end. */
        String lastLineBeforeTheEnd() throws IOException {
            String last = null;
            String line;
            while ((line = in.readLine()) != null) {
                last = line;
            }
            return last;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Running start(String backend, ChatRoom room, boolean smallBuffers) throws Exception {
        return Running.start(backend, null, (t, address, options) -> {
            ConnectionOptions.Builder connection = options.connection().toBuilder();
            if (smallBuffers) {
                // So a client that does not read falls behind after a few dozen lines, not megabytes.
                connection.socket(SocketOptions.defaults().withSendBufferSize(4096)).writeWaterMarks(2048, 4096);
            }
            return ChatServer.serve(t, address, options.toBuilder().connection(connection.build()).build(), room);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void everyLineReachesEveryClientAndLeavingIsAnnounced(String backend) throws Exception {
        ChatRoom room = new ChatRoom(ChatLimits.defaults());
        try (Running chat = start(backend, room, false);
                Client a = new Client(chat.address(), 0);
                Client b = new Client(chat.address(), 0)) {
            a.await("* " + b.name + " joined");
            try (Client c = new Client(chat.address(), 0)) {
                a.await("* " + c.name + " joined");
                b.await("* " + c.name + " joined");
                a.say("hello, everyone");
                for (Client client : new Client[] {a, b, c}) {
                    client.await(a.name + ": hello, everyone");
                }
                c.say("/nick carol");
                a.await("* " + c.name + " is now carol");
                c.say("/quit");
                assertEquals("* bye", c.lastLineBeforeTheEnd());
                a.await("* carol left");
                b.await("* carol left");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aClientThatFallsBehindIsDisconnectedWithAReasonAndTheOthersCarryOn(String backend) throws Exception {
        int queue = 16;
        ChatRoom room = new ChatRoom(new ChatLimits(1024, queue, Duration.ofSeconds(10)));
        try (Running chat = start(backend, room, true);
                Client fast = new Client(chat.address(), 0);
                Client slow = new Client(chat.address(), 4096)) {
            fast.await("* " + slow.name + " joined");
            String padding = "x".repeat(200);
            String eviction = "* " + slow.name + " was disconnected (too slow: " + queue + " lines behind)";
            boolean evicted = false;
            int afterEviction = 0;
            // The fast client sends a line, then reads until it comes back (so it never falls behind
            // itself), while the slow client reads nothing at all.
            for (int i = 0; i < 5000 && afterEviction < 20; i++) {
                String mine = i + " " + padding;
                fast.say(mine);
                String line;
                while (!(fast.name + ": " + mine).equals(line = fast.in.readLine())) {
                    assertTrue(line != null, "the fast client was disconnected");
                    evicted |= line.equals(eviction);
                }
                afterEviction += evicted ? 1 : 0;
            }
            assertTrue(evicted, "the slow client was never disconnected");
            assertEquals(1, room.evictions());
            assertTrue(room.largestBacklog() <= queue, "backlog " + room.largestBacklog());
            // The slow client, reading at last, gets what was already on its way, then the reason.
            assertEquals("* disconnected: too slow: " + queue + " lines behind", slow.lastLineBeforeTheEnd());
            assertEquals(1, room.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aLineOverTheLimitDisconnectsItsSender(String backend) throws Exception {
        ChatRoom room = new ChatRoom(new ChatLimits(64, 16, Duration.ofSeconds(10)));
        try (Running chat = start(backend, room, false); Client client = new Client(chat.address(), 0)) {
            client.say("y".repeat(200));
            assertEquals("* disconnected: line longer than 64 bytes", client.lastLineBeforeTheEnd());
        }
    }
}
