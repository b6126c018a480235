package net.corosio.examples.http;

/**
 * One header field, as received: the name in its original case, the value without surrounding
 * whitespace. Both are ISO-8859-1 text (HTTP field octets).
 *
 * @param name the field name
 * @param value the field value
 */
public record Header(String name, String value) {}
