package net.corosio.lab.server;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.TransportException;

/** The lab's server apps written against the API: the same code runs on every backend. */
final class ApiApps {

    /** Each connection's read buffer: the cost of read(ByteBuffer) that the idle scenario shows. */
    private static final int BUFFER_SIZE = 16 * 1024;

    private ApiApps() {}

    static ConnectionHandler handler(ServerApp app, int messageSize) {
        return switch (app) {
            case ECHO -> ApiApps::echo;
            case SINK -> ApiApps::sink;
            case FANOUT -> new Fanout(messageSize)::serve;
        };
    }

    private static void echo(Connection connection) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        while (connection.read(buffer.clear()) >= 0) {
            connection.write(buffer.flip());
        }
    }

    private static void sink(Connection connection) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        while (connection.read(buffer.clear()) >= 0) {
            // discard
        }
    }

    /** One publisher's messages go to every subscriber, each written from the publisher's thread. */
    private static final class Fanout {
        private final int messageSize;
        private final CopyOnWriteArrayList<Connection> subscribers = new CopyOnWriteArrayList<>();

        Fanout(int messageSize) {
            this.messageSize = messageSize;
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
                    sink(connection);
                } finally {
                    subscribers.remove(connection);
                }
                return;
            }
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
                    try {
                        subscriber.write(message.rewind());
                    } catch (TransportException e) {
                        subscribers.remove(subscriber);
                    }
                }
            }
        }
    }
}
