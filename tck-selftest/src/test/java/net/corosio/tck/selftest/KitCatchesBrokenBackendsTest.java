package net.corosio.tck.selftest;

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
}
