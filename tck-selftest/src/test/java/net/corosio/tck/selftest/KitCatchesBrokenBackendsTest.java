package net.corosio.tck.selftest;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * For each weakness issue 16 found in the kit, a backend broken in that way — which the kit before
 * the fix let through — and the proof that the kit now fails it. Each broken backend is the
 * reference backend (loom) with one thing wrong; only the tests of the rule concerned run.
 */
class KitCatchesBrokenBackendsTest {

    @Test
    void aHandlerThatThrowsMustBeAbortedNotClosed_9_3() {
        KitVerdict.assertCaught("9.3", "ends-failed-conversations-cleanly", EndsFailedConversationsCleanly::new,
                "expected: <RESET> but was: <EOF>");
    }

    @Test
    void aForcedShutdownMustAbortNotClose_9_5() {
        KitVerdict.assertCaught("9.5", "ends-failed-conversations-cleanly", EndsFailedConversationsCleanly::new,
                "expected: <RESET> but was: <EOF>");
    }

    @Test
    void concurrentShutdownsThatForceMustAbortNotClose_9_6() {
        KitVerdict.assertCaught("9.6", "ends-failed-conversations-cleanly", EndsFailedConversationsCleanly::new,
                "expected: <RESET> but was: <EOF>");
    }

    @Test
    void aRejectedConnectionMustBeAbortedNotClosed_9_8() {
        KitVerdict.assertCaught("9.8", "ends-failed-conversations-cleanly", EndsFailedConversationsCleanly::new,
                "expected: <RESET> but was: <EOF>");
    }

    @Test
    void rejectionsMustBeCountedExactly_2_7() {
        KitVerdict.assertCaught("2.7", "counts-rejections-twice", CountsRejectionsTwice::new,
                "one connection was rejected");
    }

    @Test
    void aReadMustNotWaitForMoreOnceItHasBytes_3_2() {
        KitVerdict.assertCaught("3.2", "readReturnsAsSoon", "reads-wait-for-more", ReadsWaitForMore::new, "the median of");
    }

    @Test
    void aLargeWriteMustNotBeCopiedWholeIntoTheQueue_6_2() {
        KitVerdict.assertCaught("6.2", "copies-writes-whole", CopiesWritesWhole::new,
                "the backend copied the whole write into its queue");
    }

    @Test
    void aConnectTimeoutMustNotRoundUpToWholeSeconds_2_4() {
        KitVerdict.assertCaught("2.4", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void aReadTimeoutMustNotRoundUpToWholeSeconds_7_1() {
        KitVerdict.assertCaught("7.1", "aReadThatReceivesNothing", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void aWriteTimeoutMustNotRoundUpToWholeSeconds_7_2() {
        KitVerdict.assertCaught("7.2", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void anIdleTimeoutMustNotRoundUpToWholeSeconds_7_4() {
        KitVerdict.assertCaught("7.4", "anIdleAcceptedConnection", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void aCloseTimeoutMustNotRoundUpToWholeSeconds_7_10() {
        KitVerdict.assertCaught("7.10", "closeReturnsWithinTheCloseTimeoutWhenThePeerDoesNotRead", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void aHandshakeTimeoutMustNotRoundUpToWholeSeconds_8_10() {
        KitVerdict.assertCaught("8.10", "rounds-timeouts-up-to-seconds", RoundsTimeoutsUpToSeconds::new, "too long");
    }

    @Test
    void socketTrafficAloneMustPostponeTheIdleTimeout_7_5() {
        KitVerdict.assertCaught("7.5", "idle-timer-counts-calls-only", IdleTimerCountsCallsOnly::new,
                "socket traffic alone must postpone the idle timeout");
    }

    @Test
    void aTlsCloseMustDeliverOutputQueuedForASlowReader_8_17() {
        KitVerdict.assertCaught("8.17", "drops-queued-tls-output-on-close", DropsQueuedTlsOutputOnClose::new,
                "the peer must receive every byte written before close()");
    }

    @Test
    void theOldTlsCloseTestsLetTheSameBackendThrough_8_7() {
        KitVerdict.assertLetThrough("8.7", "drops-queued-tls-output-on-close", DropsQueuedTlsOutputOnClose::new);
    }

    @Test
    void aCleanTls12CloseMustReadAsEndOfStream_8_18() {
        KitVerdict.assertCaught("8.18", "reports-clean-tls12-close-as-truncated", ReportsCleanTls12CloseAsTruncated::new,
                "expected: <[returned -1, returned -1]> but was: <[failed with TLS_TRUNCATED");
    }

    @Test
    void anEndedConnectionMustNotKeepASocket_1_8() {
        KitVerdict.assertCaught("1.8", "Close", "leaks-a-socket-per-ended-connection",
                t -> new LeaksPerEndedConnection(t, LeaksPerEndedConnection.Leak.SOCKET), "'socket' file descriptors");
    }

    @Test
    void anEndedConnectionMustNotKeepAVirtualThread_1_8() {
        KitVerdict.assertCaught("1.8", "HandlerThrew", "leaks-a-virtual-thread-per-ended-connection",
                t -> new LeaksPerEndedConnection(t, LeaksPerEndedConnection.Leak.VIRTUAL_THREAD), "(virtual)");
    }

    @Test
    void anEndedConnectionMustNotStayCounted_1_8() {
        KitVerdict.assertCaught("1.8", "ResetByThePeer", "keeps-ended-connections-counted",
                t -> new LeaksPerEndedConnection(t, LeaksPerEndedConnection.Leak.COUNT), "open connections");
    }

    @Test
    void anEndedConnectionMustNotKeepTheApplicationsBuffers_1_8() {
        KitVerdict.assertCaught("1.8", "TimeOut", "keeps-lent-buffers",
                t -> new LeaksPerEndedConnection(t, LeaksPerEndedConnection.Leak.BUFFERS), "still reachable");
    }

    @Test
    void theOldAfterCloseChecksLetPerConnectionLeaksThrough_1_6() {
        // (A connection still counted after it ended was caught before: 1.6 checks the counts before
        // the transport closes.)
        for (LeaksPerEndedConnection.Leak leak : List.of(LeaksPerEndedConnection.Leak.SOCKET,
                LeaksPerEndedConnection.Leak.VIRTUAL_THREAD, LeaksPerEndedConnection.Leak.BUFFERS)) {
            KitVerdict.assertLetThrough("1.6", "leaks-" + leak, t -> new LeaksPerEndedConnection(t, leak));
        }
    }

    @Test
    void aVirtualThreadLeftAfterCloseMustBeSeen_1_6() {
        KitVerdict.assertCaught("1.6", "leaves-a-virtual-thread-after-close", LeavesAVirtualThreadAfterClose::new,
                "'broken-stuck' (virtual)");
    }

    @Test
    void nagleMustBeOffByDefault_3_9() {
        KitVerdict.assertCaught("3.9", "nagle-on-by-default", NagleOnByDefault::new, "TCP_NODELAY must be on");
    }

    @Test
    void aRestartedServerMustBindBesideTimeWait_2_11() {
        KitVerdict.assertCaught("2.11", "binds-without-reuse-address", BindsWithoutReuseAddress::new,
                "must bind (SO_REUSEADDR");
    }

    @Test
    void noHandlerMayStartAfterShutdownReturned_9_9() {
        KitVerdict.assertCaught("9.9", "stops-accepting-after-shutdown-returns", StopsAcceptingAfterShutdownReturns::new,
                "handlers started after shutdown() returned");
    }

    @Test
    void aCloseMustNotLingerOnceThePeerLeft_5_11() {
        KitVerdict.assertCaught("5.11", "lingers-after-the-peer-left", LingersAfterThePeerLeft::new,
                "it lingers for a peer that has already gone");
    }
}
