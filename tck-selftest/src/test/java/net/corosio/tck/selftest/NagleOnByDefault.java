package net.corosio.tck.selftest;

import net.corosio.ClientOptions;
import net.corosio.ConnectionOptions;
import net.corosio.ServerOptions;
import net.corosio.Transport;

/** Broken: every connection has Nagle's algorithm on ({@code TCP_NODELAY} off), whatever was asked (3.9). */
final class NagleOnByDefault extends ForwardingTransport {

    NagleOnByDefault(Transport delegate) {
        super(delegate);
    }

    @Override
    protected ServerOptions serverOptions(ServerOptions asked) {
        return asked.toBuilder().connection(withNagle(asked.connection())).build();
    }

    @Override
    protected ClientOptions clientOptions(ClientOptions asked) {
        return asked.toBuilder().connection(withNagle(asked.connection())).build();
    }

    private static ConnectionOptions withNagle(ConnectionOptions o) {
        return o.toBuilder().socket(o.socket().withTcpNoDelay(false)).build();
    }
}
