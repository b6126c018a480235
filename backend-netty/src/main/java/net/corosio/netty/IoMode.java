package net.corosio.netty;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.Version;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import net.corosio.ErrorKind;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's I/O modes: the {@code IoHandler} that drives the event loops and the channel classes that
 * go with it. The native classes are touched only by the mode's own methods, so a missing or
 * unloadable native library affects only the mode that needs it.
 */
enum IoMode {

    /** The JDK's selector: always available. */
    NIO("nio") {
        @Override
        Throwable unavailabilityCause() {
            return null;
        }

        @Override
        IoHandlerFactory handlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        ChannelFactory<? extends SocketChannel> sockets() {
            return NioSocketChannel::new;
        }

        @Override
        ChannelFactory<? extends ServerSocketChannel> listeners() {
            return NioServerSocketChannel::new;
        }
    },

    /** Linux epoll through Netty's JNI transport. */
    EPOLL("epoll") {
        @Override
        Throwable unavailabilityCause() {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        }

        @Override
        IoHandlerFactory handlerFactory() {
            return EpollRegistrations.keepingSocketsAdded(EpollIoHandler.newFactory());
        }

        @Override
        ChannelFactory<? extends SocketChannel> sockets() {
            return EpollSocketChannel::new;
        }

        @Override
        ChannelFactory<? extends ServerSocketChannel> listeners() {
            return EpollServerSocketChannel::new;
        }
    },

    /** Linux io_uring through Netty's JNI transport (kernel 5.14+ and not disabled by seccomp). */
    IO_URING("io_uring") {
        @Override
        Throwable unavailabilityCause() {
            IoUringPollWorkaround.ensure(); // before Netty's IoUring class reads its settings
            return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        }

        @Override
        IoHandlerFactory handlerFactory() {
            IoUringPollWorkaround.ensure();
            return IoUringIoHandler.newFactory();
        }

        @Override
        ChannelFactory<? extends SocketChannel> sockets() {
            return IoUringSocketChannel::new;
        }

        @Override
        ChannelFactory<? extends ServerSocketChannel> listeners() {
            return IoUringServerSocketChannel::new;
        }
    };

    /** The property that selects the mode. */
    static final String PROPERTY = "netty.io";

    /**
     * The order "best available" tries: epoll is Netty's most proven native transport and what the
     * runtimes built on Netty default to; io_uring's gains depend on the kernel, and containers
     * often forbid it, so it is used when asked for or when epoll is missing.
     */
    private static final List<IoMode> PREFERENCE = List.of(EPOLL, IO_URING, NIO);

    private static final Logger LOG = LoggerFactory.getLogger(IoMode.class);
    private static final AtomicBoolean DEFAULT_LOGGED = new AtomicBoolean();

    private final String label;

    IoMode(String label) {
        this.label = label;
    }

    /**
     * Returns the value of {@value #PROPERTY} that selects this mode.
     *
     * @return the label, e.g. {@code "io_uring"}
     */
    String label() {
        return label;
    }

    /**
     * Returns why Netty cannot use this mode here.
     *
     * @return the cause, or {@code null} if the mode is available
     */
    abstract Throwable unavailabilityCause();

    /**
     * Returns the factory for the event loops' I/O handlers.
     *
     * @return the factory
     */
    abstract IoHandlerFactory handlerFactory();

    /**
     * Returns the factory for client channels.
     *
     * @return the factory
     */
    abstract ChannelFactory<? extends SocketChannel> sockets();

    /**
     * Returns the factory for listening channels.
     *
     * @return the factory
     */
    abstract ChannelFactory<? extends ServerSocketChannel> listeners();

    /**
     * Returns the mode {@code config} asks for, or the best available one.
     *
     * @param config the transport's settings
     * @return the mode
     * @throws IllegalArgumentException if {@value #PROPERTY} names no mode
     * @throws TransportException if the mode asked for is not available on this machine
     */
    static IoMode select(TransportConfig config) throws TransportException {
        String asked = config.property(PROPERTY).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (asked.isEmpty()) {
            return best();
        }
        IoMode mode = Arrays.stream(values())
                .filter(m -> m.label.equals(asked))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(PROPERTY + "=" + config.property(PROPERTY).orElseThrow()
                        + " is not an I/O mode; use nio, epoll or io_uring (or leave it unset for the best available)"));
        Throwable cause = mode.unavailabilityCause();
        if (cause != null) {
            throw new TransportException(ErrorKind.IO, PROPERTY + "=" + mode.label
                    + " was asked for, but Netty cannot use it on this machine: " + cause, cause);
        }
        return mode;
    }

    private static IoMode best() {
        for (IoMode mode : PREFERENCE) {
            Throwable cause = mode.unavailabilityCause();
            if (cause == null) {
                if (DEFAULT_LOGGED.compareAndSet(false, true)) {
                    LOG.info("netty backend: {} unset, using {}, the best I/O mode available (Netty {})",
                            PROPERTY, mode.label, nettyVersion());
                }
                return mode;
            }
            LOG.debug("netty backend: {} unavailable: {}", mode.label, cause.toString());
        }
        return NIO;
    }

    /**
     * Returns the version of Netty on the path.
     *
     * @return e.g. {@code "4.2.18.Final"}, or {@code "4.2"} if Netty's version file is missing
     */
    static String nettyVersion() {
        Version version = Version.identify().get("netty-transport");
        return version == null ? "4.2" : version.artifactVersion();
    }
}
