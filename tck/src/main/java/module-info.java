/**
 * The net-corosio compatibility kit: {@code SPEC.md} and the JUnit tests that prove a backend
 * follows it. A backend's conformance test extends {@link net.corosio.tck.TransportKit}.
 */
module net.corosio.tck {
    requires transitive net.corosio;
    requires transitive org.junit.jupiter.api;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // Thread dumps that include virtual threads (HotSpotDiagnosticMXBean.dumpThreads), for the leak checks.
    requires jdk.management;

    exports net.corosio.tck;

    // JUnit instantiates the rule groups and calls their package-private test methods reflectively.
    opens net.corosio.tck to org.junit.platform.commons;
}
