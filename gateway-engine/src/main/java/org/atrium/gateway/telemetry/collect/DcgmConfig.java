package org.atrium.gateway.telemetry.collect;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * DCGM exporter endpoints to scrape, e.g. {@code http://gpu-node-01:9400/metrics}. Empty (the
 * default) means the collector is off.
 *
 * @param endpoints full metrics URLs, http(s) only
 * @param interval  poll period, default 5 s
 * @param timeout   per-scrape timeout (connect + answer), default 2 s
 */
public record DcgmConfig(List<URI> endpoints, Duration interval, Duration timeout) {
    public DcgmConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        for (URI u : endpoints) {
            requireHttp(u, "endpoints");
        }
        interval = Durations.orDefault(interval, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10), "interval");
        timeout = Durations.orDefault(timeout, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMinutes(1), "timeout");
    }

    public static DcgmConfig defaults() {
        return new DcgmConfig(null, null, null);
    }

    static void requireHttp(URI u, String field) {
        String scheme = u == null || u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + ": " + u + " must be an http(s) URL with a host and no credentials");
        }
    }
}
