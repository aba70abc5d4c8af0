package org.atrium.gateway.telemetry.collect;

import java.net.URI;
import java.util.Objects;

/**
 * One backend of one route whose engine metrics to scrape.
 *
 * @param balancing the route balances by inference: scraped every {@code balancer_interval} (about a
 *                  second) instead of every {@code interval}
 */
public record EngineTarget(String route, String backend, URI metricsUrl, EngineKind kind, boolean balancing) {
    public EngineTarget(String route, String backend, URI metricsUrl, EngineKind kind) {
        this(route, backend, metricsUrl, kind, false);
    }

    public EngineTarget {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(backend, "backend");
        kind = kind == null ? EngineKind.AUTO : kind;
        if (kind != EngineKind.NONE) {
            DcgmConfig.requireHttp(metricsUrl, "metricsUrl");
        }
    }

    /** Target for a backend base URL ({@code BackendSpec.url()}), scraping {@code <url>/metrics}. */
    public static EngineTarget of(String route, String backendUrl, EngineKind kind) {
        return of(route, backendUrl, kind, false);
    }

    public static EngineTarget of(String route, String backendUrl, EngineKind kind, boolean balancing) {
        String base = backendUrl.endsWith("/") ? backendUrl.substring(0, backendUrl.length() - 1) : backendUrl;
        return new EngineTarget(route, backendUrl, URI.create(base + "/metrics"), kind, balancing);
    }
}
