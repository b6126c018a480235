package net.corosio.netty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns off Netty's multishot {@code POLL_ADD} for io_uring before Netty reads its settings, unless
 * the application chose it itself.
 *
 * <p>Why: with it on (Netty 4.2.18's default), a peer's reset that arrives right behind its data is
 * sometimes never reported: the channel gets the data, then no exception, no end-of-stream and no
 * close, and a reader waits forever. Shown without corosio by a plain Netty client (a server writes
 * 40,000 bytes and resets at once: 5 to 9 of 20 connections hang on this machine's kernel 6.18;
 * none with {@code -Dio.netty.iouring.pollAddMultishotEnabled=false}, none with epoll), and found by
 * {@code corosio faults} (reset_peer) and kit rule 11.3. The setting is JVM-wide, read once when
 * Netty's {@code IoUring} class initialises; an application that set it keeps its choice.
 *
 * <p>The cost: with it off, the close that follows a refused TLS 1.2 renegotiation does not reach
 * the peer, which waits for its timeout (kit rule 8.22, a known departure of the io_uring mode). A
 * lost reset strands a reader on any peer crash; the renegotiation, only a peer that asks for one.
 */
final class IoUringPollWorkaround {

    /** Netty's system property. */
    static final String PROPERTY = "io.netty.iouring.pollAddMultishotEnabled";

    private static final Logger LOG = LoggerFactory.getLogger(IoUringPollWorkaround.class);

    // @corrects iouring-lost-reset: Netty's io_uring multishot poll can lose a reset that follows
    // data (the reader would wait forever); multishot POLL_ADD is turned off before Netty reads it.
    private static final boolean APPLIED = apply();

    private IoUringPollWorkaround() {}

    /** Applies the workaround, once, before the first use of Netty's io_uring classes. */
    static void ensure() {
        if (!APPLIED) {
            LOG.debug("netty io_uring: {} is set to {} by the application; a reset behind data may be lost",
                    PROPERTY, System.getProperty(PROPERTY));
        }
    }

    private static boolean apply() {
        if (System.getProperty(PROPERTY) != null) {
            return false;
        }
        System.setProperty(PROPERTY, "false");
        return true;
    }
}
