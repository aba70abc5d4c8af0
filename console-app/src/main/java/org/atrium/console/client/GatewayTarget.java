package org.atrium.console.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/** Where the admin listener is and the bearer token to present. */
public record GatewayTarget(URI baseUri, String adminToken) {
    public GatewayTarget {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUri.getHost() == null) {
            throw new IllegalArgumentException("gateway address must be http(s)://host:port, got " + baseUri);
        }
        String s = baseUri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        baseUri = URI.create(s);
        adminToken = adminToken == null ? "" : adminToken.strip();
    }

    /** Parses an address typed by a person: {@code host:port} is read as {@code http://host:port}. */
    public static GatewayTarget parse(String address, String token) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("gateway address is required");
        }
        String a = address.strip();
        try {
            return new GatewayTarget(URI.create(a.contains("://") ? a : "http://" + a), token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid gateway address: " + a, e);
        }
    }

    /** True for loopback addresses, where the console may start the bundled gateway itself. */
    public boolean isLocal() {
        String h = baseUri.getHost().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    public URI resolve(String pathAndQuery) {
        return URI.create(baseUri + pathAndQuery);
    }

    @Override
    public String toString() {
        return "GatewayTarget[" + baseUri + "]"; // never the token
    }
}
