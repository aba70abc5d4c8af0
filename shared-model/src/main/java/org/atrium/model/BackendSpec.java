package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.Locale;

/**
 * One inference server behind a route. {@code url} is an admin-defined http(s) base URL without
 * credentials; a bare {@code host:port} (the reference gateway's {@code task:{id}} values) is read
 * as {@code http://host:port}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendSpec(String url, Integer weight, Integer maxConcurrency) {
    public static final int DEFAULT_MAX_CONCURRENCY = 16;

    public BackendSpec {
        ValidationException.require(url != null && !url.isBlank(), "url", "is required");
        url = normalizeUrl(url.trim());
        weight = weight == null ? 1 : weight;
        ValidationException.require(weight >= 0 && weight <= 1000, "weight", "must be between 0 and 1000");
        maxConcurrency = maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
        ValidationException.require(maxConcurrency >= 1 && maxConcurrency <= 100_000,
                "maxConcurrency", "must be between 1 and 100000");
    }

    public BackendSpec(String url) {
        this(url, null, null);
    }

    static String normalizeUrl(String raw) {
        String s = raw.contains("://") ? raw : "http://" + raw;
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        ValidationException.require(scheme.equals("http") || scheme.equals("https"), "url", "must be http or https");
        ValidationException.require(uri.getHost() != null && !uri.getHost().isBlank(), "url", "must name a host");
        ValidationException.require(uri.getRawUserInfo() == null, "url", "must not contain credentials");
        ValidationException.require(uri.getRawQuery() == null && uri.getRawFragment() == null,
                "url", "must not contain a query or fragment");
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
