package net.corosio.lab.server;

/** What a running lab server counts itself, for its snapshots; -1 where it does not (the baselines). */
public interface ServerCounters {

    /** For a server that counts nothing of this: both figures are -1. */
    ServerCounters NONE = new ServerCounters() {
        @Override
        public long connections() {
            return -1;
        }

        @Override
        public long tlsHandshakeFailures() {
            return -1;
        }
    };

    /**
     * Returns the connections the server's transport holds open now.
     *
     * @return the count, or -1
     */
    long connections();

    /**
     * Returns the server's TLS handshake failures so far.
     *
     * @return the count, or -1
     */
    long tlsHandshakeFailures();
}
