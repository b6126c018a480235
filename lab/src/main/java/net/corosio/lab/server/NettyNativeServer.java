package net.corosio.lab.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Netty baseline: echo, sink and fanout servers written the way a Netty expert writes them, on
 * epoll where available, with writability-driven backpressure. Its numbers are what the API's
 * Netty backend is measured against.
 */
final class NettyNativeServer implements NativeServer {

    private final EventLoopGroup group;
    private final Channel channel;

    NettyNativeServer(InetSocketAddress address, ServerApp app, int ioThreads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(ioThreads, factory); // 0: Netty's default, as the backend's
        ChannelHandler shared = switch (app) {
            case ECHO -> new Echo();
            case SINK -> new Sink();
            case FANOUT -> null; // one handler per channel: each knows its role
        };
        CopyOnWriteArrayList<Channel> subscribers = new CopyOnWriteArrayList<>();
        channel = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(shared != null ? shared : new FanoutMember(subscribers));
                    }
                })
                .bind(address)
                .sync()
                .channel();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false); // the peer is not reading our echo: stop reading its bytes
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class Sink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release((ByteBuf) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Fan-out: a channel's first byte says its role. A subscriber ({@code 'S'}) is registered and
     * acknowledged with {@code 'A'}, and what it sends is dropped; a publisher ({@code 'P'}) has
     * every buffer it receives written to every subscriber as a retained duplicate (no copy), one
     * write-and-flush per subscriber per read.
     */
    private static final class FanoutMember extends ChannelInboundHandlerAdapter {
        private final CopyOnWriteArrayList<Channel> subscribers;
        private byte role;

        FanoutMember(CopyOnWriteArrayList<Channel> subscribers) {
            this.subscribers = subscribers;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                if (role == 0 && bytes.isReadable()) {
                    role = bytes.readByte();
                    if (role == 'S') {
                        subscribers.add(ctx.channel());
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'A'}), ctx.voidPromise());
                    }
                }
                if (role == 'P' && bytes.isReadable()) {
                    for (Channel subscriber : subscribers) {
                        subscriber.writeAndFlush(bytes.retainedDuplicate(), subscriber.voidPromise());
                    }
                }
            } finally {
                bytes.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            subscribers.remove(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
