package org.atrium.gateway.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text. Unauthenticated on purpose: scrapers rarely send bearer
 * tokens, the admin listener is on loopback by default, and the series carry no secrets (route
 * ids, backend URLs, tenant ids, counts). On the data listener only with
 * {@code server.metrics_on_data_port: true}.
 */
public final class MetricsService implements HttpService {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final GatewayMetrics metrics;

    public MetricsService(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
