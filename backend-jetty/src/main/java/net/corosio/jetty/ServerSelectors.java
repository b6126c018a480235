package net.corosio.jetty;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selectors of every server of one transport. A server accepts sockets itself and hands each
 * to {@link #accept(SelectableChannel, Object)} with itself as the attachment; this manager
 * creates the end point and asks that server for the connection, then tells it once the
 * connection is open.
 */
class ServerSelectors extends SelectorManager {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSelectors.class);

    ServerSelectors(Executor executor, Scheduler scheduler, int selectors) {
        super(executor, scheduler, selectors);
    }

    @Override
    protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        return new SocketEndPoint((SocketChannel) channel, selector, key, getScheduler());
    }

    @Override
    public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
        return ((JettyServer) attachment).newConnection((SocketEndPoint) endPoint);
    }

    @Override
    public void connectionOpened(Connection connection, Object attachment) {
        super.connectionOpened(connection, attachment);
        ((JettyServer) attachment).opened(EndPointBridge.of(connection).api());
    }

    @Override
    protected void onAcceptFailed(SelectableChannel channel, Throwable failure, Object attachment) {
        LOG.debug("jetty transport: an accepted socket could not be registered with a selector", failure);
    }
}
