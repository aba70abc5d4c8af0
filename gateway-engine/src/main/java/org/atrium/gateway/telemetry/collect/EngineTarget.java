package org.atrium.gateway.telemetry.collect;

import java.net.URI;
import java.util.Objects;

/** One backend of one route whose engine metrics to scrape. */
public record EngineTarget(String route, String backend, URI metricsUrl, EngineKind kind) {
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
        String base = backendUrl.endsWith("/") ? backendUrl.substring(0, backendUrl.length() - 1) : backendUrl;
        return new EngineTarget(route, backendUrl, URI.create(base + "/metrics"), kind);
    }
}
