package net.corosio.lab.server;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import net.corosio.BufferLease;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.TransportException;

/**
 * The lab's server apps written against the API: the same code runs on every backend. By default
 * they read by {@code receive()}: the transport lends its own buffers, an echo writes each lease
 * straight back ({@code write(lease)}), and an idle connection holds no buffer. The copying
 * variant ({@code --reads copy}, labelled {@code +copy}) reads with {@code read(ByteBuffer)} into a
 * 16 KiB buffer per connection, as the API's first form did, so a table can show what lending saves.
 */
final class ApiApps {

    /** Each connection's read buffer in the copying variant: what {@code read(ByteBuffer)} costs an idle connection. */
    private static final int BUFFER_SIZE = 16 * 1024;

    private ApiApps() {}

    /**
     * Returns the handler of an app.
     *
     * @param app the app
     * @param messageSize the fanout's message size
     * @param copying whether to read with {@code read(ByteBuffer)} instead of {@code receive()}
     * @return the handler
     */
    static ConnectionHandler handler(ServerApp app, int messageSize, boolean copying) {
        return switch (app) {
            case ECHO -> copying ? ApiApps::copyingEcho : ApiApps::echo;
            case SINK -> copying ? ApiApps::copyingSink : ApiApps::sink;
            case FANOUT -> new Fanout(messageSize, copying)::serve;
        };
    }

    /** Writes every lease back as it is: nothing copied, nothing held while waiting. */
    private static void echo(Connection connection) throws TransportException {
        BufferLease lease;
        while ((lease = connection.receive()) != null) {
            connection.write(lease);
        }
    }

    private static void sink(Connection connection) throws TransportException {
        BufferLease lease;
        while ((lease = connection.receive()) != null) {
            lease.close();
        }
    }

    private static void copyingEcho(Connection connection) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        while (connection.read(buffer.clear()) >= 0) {
            connection.write(buffer.flip());
        }
    }

    private static void copyingSink(Connection connection) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        while (connection.read(buffer.clear()) >= 0) {
            // discard
        }
    }

    /**
     * One publisher's messages go to every subscriber, each written from the publisher's thread.
     * Lending, the publisher writes what each lease holds to every subscriber (its one writer, so
     * the stream of messages stays whole however the leases cut it) and gives the lease back.
     */
    private static final class Fanout {
        private final int messageSize;
        private final boolean copying;
        private final CopyOnWriteArrayList<Connection> subscribers = new CopyOnWriteArrayList<>();

        Fanout(int messageSize, boolean copying) {
            this.messageSize = messageSize;
            this.copying = copying;
        }

        void serve(Connection connection) throws TransportException {
            ByteBuffer role = ByteBuffer.allocate(1);
            if (connection.read(role) < 0) {
                return;
            }
            if (role.get(0) == 'S') {
                subscribers.add(connection);
                // Acknowledged only once registered, so the load starts publishing after every
                // subscriber is in and none misses the first messages.
                connection.write(ByteBuffer.wrap(new byte[] {'A'}));
                try {
                    if (copying) {
                        copyingSink(connection);
                    } else {
                        sink(connection);
                    }
                } finally {
                    subscribers.remove(connection);
                }
                return;
            }
            if (copying) {
                publishCopies(connection);
            } else {
                publishLeases(connection);
            }
        }

        private void publishLeases(Connection connection) throws TransportException {
            while (true) {
                try (BufferLease lease = connection.receive()) {
                    if (lease == null) {
                        return;
                    }
                    ByteBuffer bytes = lease.buffer();
                    int start = bytes.position();
                    for (Connection subscriber : subscribers) {
                        deliver(subscriber, bytes.position(start));
                    }
                }
            }
        }

        private void publishCopies(Connection connection) throws TransportException {
            ByteBuffer message = ByteBuffer.allocate(messageSize);
            while (true) {
                message.clear();
                while (message.hasRemaining()) {
                    if (connection.read(message) < 0) {
                        return;
                    }
                }
                message.flip();
                for (Connection subscriber : subscribers) {
                    deliver(subscriber, message.rewind());
                }
            }
        }

        private void deliver(Connection subscriber, ByteBuffer bytes) {
            try {
                subscriber.write(bytes);
            } catch (TransportException e) {
                subscribers.remove(subscriber);
            }
        }
    }
}
