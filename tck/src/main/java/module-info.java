/**
 * The net-corosio compatibility kit: {@code SPEC.md} and the JUnit tests that prove a backend
 * follows it. A backend's conformance test extends {@link net.corosio.tck.TransportKit}.
 */
module net.corosio.tck {
    requires transitive net.corosio;
    requires transitive org.junit.jupiter.api;
    requires jdk.jfr; // the JFR rules (10.5) record and read back the transport's events
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // Thread dumps that include virtual threads (HotSpotDiagnosticMXBean.dumpThreads), for the leak checks.
    requires jdk.management;

    exports net.corosio.tck;
    exports net.corosio.tck.faults;

    // JUnit instantiates the rule groups and calls their package-private test methods reflectively.
    opens net.corosio.tck to org.junit.platform.commons;
}
