package net.corosio.lab.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A plain TCP wire: reads and writes go straight to the socket. */
record PlainWire(SocketChannel channel) implements Wire {

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }
}
