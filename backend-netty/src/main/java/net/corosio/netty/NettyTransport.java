package net.corosio.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.TlsConfig;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.ErrorClassifier;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.LoopCarrier;
import net.corosio.spi.TrafficCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The netty transport: one group of event loops (in the chosen I/O mode) for listeners and
 * connections alike. Clients connect from the caller's thread, which waits (parked, interruptibly)
 * for the channel to become active and its TLS handshake to finish.
 */
final class NettyTransport extends AbstractTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    /** How long closing waits for the event loops to finish. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** How long an interrupted connect waits for its half-made socket to be closed. */
    private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final IoMode mode;
    private final int ioThreads;
    private final String carrierPrefix;
    private final EventLoops loops;
    private volatile CarriedEventLoops carried; // made on first use, by the first server whose handlers they carry
    private final TlsEngineFactory tls;
    private final TrafficCounter clientTraffic = new TrafficCounter();

    NettyTransport(Set<Capability> capabilities, IoMode mode, int ioThreads, TlsEngineFactory tls) {
        super(NettyTransportProvider.NAME, capabilities);
        this.mode = mode;
        this.tls = tls;
        this.loops = new EventLoops(mode, ioThreads);
        this.ioThreads = loops.executorCount();
        this.carrierPrefix = "corosio-netty-" + mode.label() + "-" + INSTANCES.incrementAndGet() + "-";
    }

    /** The loops that carry handlers: as many as the others, each on a carrier of its own. */
    private CarriedEventLoops carriedLoops() {
        CarriedEventLoops made = carried;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (carried == null) {
                ensureOpen();
                carried = new CarriedEventLoops(mode, ioThreads, carrierPrefix);
            }
            return carried;
        }
    }

    /**
     * Returns the loops for a client connection: the caller's own loop when it runs on a carried
     * loop (a handler connecting onwards, as a proxy does), so both connections share one thread.
     */
    private EventLoopGroup loopsForCaller() {
        CarriedEventLoops made = carried;
        EventLoopGroup own = made == null ? null : made.callersLoop();
        return own != null ? own : loops;
    }

    @Override
    protected List<LoopCarrier> carriers() {
        CarriedEventLoops made = carried;
        return made == null ? List.of() : List.of(made.carriers());
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        checkHandlerExecutor(options);
        EventLoopGroup group = HandlerExecutors.isEventLoop(options.handlerExecutor()) ? carriedLoops() : loops;
        InetSocketAddress bindAddress = JdkSockets.resolve(address, "serve on");
        TlsEngineFactory.ServerEngines engines = options.tls() == null ? null : tls.server(options.tls());
        NettyServer server = new NettyServer(options, handler);
        ConnectionOptions connection = options.connection();
        SocketOptions socket = connection.socket();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory(mode.listeners())
                .option(ChannelOption.SO_REUSEADDR, socket.reuseAddress())
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, socket.tcpNoDelay())
                .childOption(ChannelOption.SO_KEEPALIVE, socket.keepAlive())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler ssl = engines == null ? null : configured(engines.newHandler(channel.alloc()));
                        install(channel.pipeline(), ssl, new ChannelBridge(NettyTransport.this, ssl, true,
                                connection, server.trafficCounter(), server::accept));
                    }
                });
        if (socket.receiveBufferSize() > 0) {
            // On the listener, so accepted sockets have it before the handshake fixes the window scale.
            bootstrap.option(ChannelOption.SO_RCVBUF, socket.receiveBufferSize());
        }
        if (socket.sendBufferSize() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, socket.sendBufferSize());
        }
        ChannelFuture bind = bootstrap.bind(bindAddress);
        NettyFutures.awaitUninterruptibly(bind, Duration.ofDays(1));
        if (!bind.isSuccess()) {
            Throwable cause = bind.cause();
            ErrorKind kind = ErrorClassifier.classify(cause, ErrorKind.IO);
            throw new TransportException(kind.isTerminal() || kind == ErrorKind.ADDRESS_IN_USE ? kind : ErrorKind.IO,
                    "serve on " + address + " failed: " + cause.getMessage(), cause);
        }
        server.bound(bind.channel(), track(server));
        return server;
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        InetSocketAddress target = JdkSockets.resolve(address, "connect to");
        if (Thread.currentThread().isInterrupted()) {
            throw new TransportException(ErrorKind.CANCELLED,
                    "connect to " + address + " failed: the calling thread is interrupted");
        }
        TlsConfig tlsConfig = options.tls();
        ConnectionOptions connection = options.connection();
        SocketOptions socket = connection.socket();
        CompletableFuture<NettyConnection> active = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(loopsForCaller())
                .channelFactory(mode.sockets())
                .resolver(NoopAddressResolverGroup.INSTANCE) // resolved above, on the caller's thread
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, socket.tcpNoDelay())
                .option(ChannelOption.SO_KEEPALIVE, socket.keepAlive())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, JdkSockets.timeoutMillis(options.connectTimeout()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler ssl = null;
                        if (tlsConfig != null) {
                            try {
                                ssl = configured(tls.client(tlsConfig, address, channel.alloc()));
                            } catch (TransportException e) {
                                active.completeExceptionally(e); // the caller sees this, not the close
                                channel.close();
                                return;
                            }
                        }
                        install(channel.pipeline(), ssl,
                                new ChannelBridge(NettyTransport.this, ssl, false, connection, clientTraffic, active::complete));
                    }
                });
        if (socket.receiveBufferSize() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, socket.receiveBufferSize());
        }
        if (socket.sendBufferSize() > 0) {
            bootstrap.option(ChannelOption.SO_SNDBUF, socket.sendBufferSize());
        }
        ChannelFuture connecting = options.localAddress() == null
                ? bootstrap.connect(target)
                : bootstrap.connect(target, options.localAddress());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                active.completeExceptionally(f.cause());
            }
        });
        NettyConnection made;
        try {
            made = active.get();
        } catch (InterruptedException e) {
            // @corrects interrupt: an interrupted wait leaves Netty's connect going; the channel is
            // abandoned (closed on its loop) and the caller gets CANCELLED.
            abandon(connecting.channel(), active);
            Thread.currentThread().interrupt();
            throw new TransportException(ErrorKind.CANCELLED,
                    "connect to " + address + " failed: the calling thread was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            ErrorKind kind = ErrorClassifier.classify(cause, ErrorKind.CONNECT_TIMEOUT);
            throw new TransportException(kind, "connect to " + address + " failed: " + cause.getMessage(), cause);
        }
        made.awaitHandshake();
        return made;
    }

    /** An interrupted connect: reset whatever was made, and wait for its socket to be released. */
    private static void abandon(Channel channel, CompletableFuture<NettyConnection> active) {
        boolean alreadyMade = !active.completeExceptionally(new IllegalStateException("abandoned"))
                && !active.isCompletedExceptionally();
        if (alreadyMade) {
            NettyConnection made = active.join();
            made.abort();
        } else {
            channel.close();
        }
        NettyFutures.awaitUninterruptibly(channel.closeFuture(), ABANDON_WAIT);
    }

    /**
     * Creates and tracks the connection of a channel that has just become active; on its event loop.
     */
    NettyConnection newConnection(Channel channel, SslHandler ssl, boolean serverSide, ConnectionOptions options,
            TrafficCounter traffic) {
        NettyConnection connection = new NettyConnection(channel, ssl, serverSide, options, traffic);
        connection.untrackWith(track(connection, connection.state()));
        return connection;
    }

    private static void install(ChannelPipeline pipeline, SslHandler ssl, ChannelBridge bridge) {
        if (ssl != null) {
            pipeline.addLast("tls", ssl);
        }
        pipeline.addLast("corosio", bridge);
    }

    private static SslHandler configured(SslHandler handler) {
        // The bridge times the handshake (awaitHandshake): one timer per connection is enough.
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    @Override
    protected void closeResources() {
        CarriedEventLoops carriedLoops;
        synchronized (this) {
            carriedLoops = carried;
        }
        if (carriedLoops != null) {
            carriedLoops.shutdownGracefully(0, STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!loops.stop(STOP_WAIT)) {
            LOG.warn("netty transport ({}): event loops still running {} after shutdown", mode.label(), STOP_WAIT);
        }
        if (carriedLoops != null && !carriedLoops.stop(STOP_WAIT)) {
            LOG.warn("netty transport ({}): carried event loops or their handlers still running {} after shutdown",
                    mode.label(), STOP_WAIT);
        }
        tls.close();
    }

    @Override
    public String toString() {
        return "Transport[netty " + mode.label() + ", tls " + tls + "]";
    }
}
