/**
 * Example applications written against the net-corosio API alone — {@code echo}, {@code http},
 * {@code resp}, {@code proxy} and {@code chat} — with Okio for framing and parsing through one
 * adapter, {@link net.corosio.examples.OkioConnection}. Each runs on whichever backend is found at
 * run time; none knows a backend's classes.
 */
module net.corosio.examples {
    // Transitive: the examples' public methods take and return the API's types and Okio's.
    requires transitive net.corosio;
    requires transitive okio;
    requires kotlin.stdlib;
    requires org.slf4j;

    exports net.corosio.examples;
    exports net.corosio.examples.echo;
    exports net.corosio.examples.http;
    exports net.corosio.examples.resp;
    exports net.corosio.examples.proxy;
    exports net.corosio.examples.chat;
}
