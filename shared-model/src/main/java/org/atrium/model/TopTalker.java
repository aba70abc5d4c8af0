package org.atrium.model;

/** A client by request rate, for the console's quick-ban list. {@code kind} is {@code ip} or {@code user}. */
public record TopTalker(String kind, String key, String tenant, double requestsPerMinute) {
}
