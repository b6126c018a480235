package net.corosio.tck.selftest;

import java.time.Duration;
import net.corosio.ClientOptions;
import net.corosio.ConnectionOptions;
import net.corosio.ServerOptions;
import net.corosio.Transport;

/**
 * Broken: every timeout runs on a timer with a one-second tick, so it fires at the next whole
 * second (2.4, 7.1, 7.2, 7.4, 7.10, 8.10). Each still fires, no sooner than asked.
 */
final class RoundsTimeoutsUpToSeconds extends ForwardingTransport {

    RoundsTimeoutsUpToSeconds(Transport delegate) {
        super(delegate);
    }

    @Override
    protected ServerOptions serverOptions(ServerOptions asked) {
        return asked.toBuilder().connection(rounded(asked.connection())).build();
    }

    @Override
    protected ClientOptions clientOptions(ClientOptions asked) {
        return asked.toBuilder()
                .connectTimeout(rounded(asked.connectTimeout()))
                .connection(rounded(asked.connection()))
                .build();
    }

    private static ConnectionOptions rounded(ConnectionOptions o) {
        return new ConnectionOptions(rounded(o.readTimeout()), rounded(o.writeTimeout()), rounded(o.idleTimeout()),
                rounded(o.tlsHandshakeTimeout()), rounded(o.closeTimeout()), o.inboundLimit(), o.writeHighWaterMark(),
                o.writeLowWaterMark(), o.socket());
    }

    private static Duration rounded(Duration timeout) {
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(seconds);
    }
}
