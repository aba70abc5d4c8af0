package org.atrium.gateway.live;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import org.atrium.gateway.admin.AdminBodies;
import org.atrium.model.BackendLive;

/**
 * {@code GET /admin/v1/backends[?route=ID]}: each route backend's health, in-flight calls, engine
 * queue and KV-cache use, share of its route's calls and learned speed — the live feed's backend
 * rows on request, for scripts and the balancer's operators. Mounted behind the admin listener's
 * authentication.
 */
public final class BackendStatusService implements HttpService {
    private final TelemetryHub hub;

    public BackendStatusService(TelemetryHub hub) {
        this.hub = hub;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            String route = req.query().first("route").orElse(null);
            List<BackendLive> rows = hub.backends();
            AdminBodies.json(res, route == null ? rows : rows.stream().filter(b -> b.route().equals(route)).toList());
        });
    }
}
