package net.corosio.tck.selftest;

import net.corosio.Transport;

/**
 * Broken: closing the transport leaves one of its virtual threads parked (as an acceptor or a TLS
 * task that missed the signal would be) for 15 seconds. A check of platform threads does not see
 * it.
 */
final class LeavesAVirtualThreadAfterClose extends ForwardingTransport {

    private final Thread stuck = Thread.ofVirtual().name("broken-stuck").unstarted(() -> {
        try {
            Thread.sleep(15_000);
        } catch (InterruptedException e) {
            // done
        }
    });

    LeavesAVirtualThreadAfterClose(Transport delegate) {
        super(delegate);
        stuck.start();
    }
}
