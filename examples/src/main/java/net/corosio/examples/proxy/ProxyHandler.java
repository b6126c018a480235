package net.corosio.examples.proxy;

import java.net.InetSocketAddress;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Transport;
import net.corosio.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies one accepted connection: connects to the target, then runs a {@link Pump} each way — the
 * client-to-target direction on the handler's own thread, the other on a second virtual thread —
 * and returns once both have ended. A target that cannot be reached aborts the client's connection.
 */
final class ProxyHandler implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

    private final Transport transport;
    private final InetSocketAddress target;
    private final ClientOptions upstreamOptions;

    ProxyHandler(Transport transport, InetSocketAddress target, ClientOptions upstreamOptions) {
        this.transport = transport;
        this.target = target;
        this.upstreamOptions = upstreamOptions;
    }

    @Override
    public void handle(Connection client) throws InterruptedException {
        Connection upstream;
        try {
            upstream = transport.connect(target, upstreamOptions);
        } catch (TransportException e) {
            LOG.debug("cannot reach {}: {}", target, e.getMessage());
            client.abort();
            return;
        }
        try (upstream) {
            Thread back = Thread.ofVirtual().name("proxy-" + target.getPort() + "-back")
                    .start(new Pump("target->client", upstream, client));
            new Pump("client->target", client, upstream).run();
            back.join();
        }
    }
}
