/**
 * The net-corosio transport API: {@link net.corosio.Transport}, {@link net.corosio.Connection} and
 * {@link net.corosio.Server} in the coroutine style, their options and errors, and the provider
 * SPI with the support classes backends share. Depends on the JDK alone.
 */
module net.corosio {
    exports net.corosio;
    exports net.corosio.spi;
    // ProviderSelection and Checks are implementation details of this module; so are its JFR
    // events (net.corosio.internal.jfr), which JFR reads through jdk.jfr, part of the JDK.
    requires jdk.jfr;

    uses net.corosio.spi.TransportProvider;
}
