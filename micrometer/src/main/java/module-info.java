/**
 * Micrometer meter binders for the net-corosio API's metrics: {@link
 * net.corosio.micrometer.TransportMeterBinder} for {@link net.corosio.Transport#metrics()} and {@link
 * net.corosio.micrometer.ServerMeterBinder} for {@link net.corosio.Server#metrics()}. Works with any
 * backend; knows the API alone.
 */
module net.corosio.micrometer {
    // Transitive: the binders' constructors take the API's types and implement Micrometer's MeterBinder.
    requires transitive net.corosio;
    requires transitive micrometer.core;

    exports net.corosio.micrometer;
}
