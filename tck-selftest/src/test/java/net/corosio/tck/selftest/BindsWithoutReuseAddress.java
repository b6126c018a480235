package net.corosio.tck.selftest;

import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.Transport;

/** Broken: listeners never set {@code SO_REUSEADDR}, whatever was asked (2.11). */
final class BindsWithoutReuseAddress extends ForwardingTransport {

    BindsWithoutReuseAddress(Transport delegate) {
        super(delegate);
    }

    @Override
    protected ServerOptions serverOptions(ServerOptions asked) {
        SocketOptions s = asked.connection().socket();
        SocketOptions noReuse = new SocketOptions(s.tcpNoDelay(), s.keepAlive(), false, s.receiveBufferSize(),
                s.sendBufferSize());
        return asked.toBuilder().connection(asked.connection().toBuilder().socket(noReuse).build()).build();
    }
}
