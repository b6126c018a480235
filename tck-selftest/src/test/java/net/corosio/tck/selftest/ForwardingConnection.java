package net.corosio.tck.selftest;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import net.corosio.Connection;
import net.corosio.TransportException;

/** A connection that passes every call to another; a broken backend overrides the call it breaks. */
class ForwardingConnection implements Connection {

    /** The connection of the working backend underneath. */
    protected final Connection delegate;

    ForwardingConnection(Connection delegate) {
        this.delegate = delegate;
    }

    @Override
    public int read(ByteBuffer dst) throws TransportException {
        return delegate.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws TransportException {
        delegate.write(src);
    }

    @Override
    public void write(ByteBuffer... srcs) throws TransportException {
        delegate.write(srcs);
    }

    @Override
    public void shutdownOutput() throws TransportException {
        delegate.shutdownOutput();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public InetSocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return delegate.tlsSession();
    }

    @Override
    public Optional<String> applicationProtocol() {
        return delegate.applicationProtocol();
    }
}
