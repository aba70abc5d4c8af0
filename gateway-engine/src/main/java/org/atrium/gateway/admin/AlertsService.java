package org.atrium.gateway.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.model.AlertInfo;
import org.atrium.model.ValidationException;

/** {@code /admin/v1/alerts?state=active|all} and {@code POST /admin/v1/alerts/{id}/ack} (audited). */
public final class AlertsService implements HttpService {
    private final AlertsSource source;
    private final AuditTrail audit;

    public AlertsService(AlertsSource source, AuditTrail audit) {
        this.source = source;
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res, alerts(req.query().first("state").orElse("active"))))
                .post("/{id}/ack", this::ack);
    }

    private void ack(ServerRequest req, ServerResponse res) {
        ack(AdminAccess.caller(req), req.path().pathParameters().get("id"));
        AdminBodies.noContent(res);
    }

    public List<AlertInfo> alerts(String state) {
        ValidationException.require("active".equals(state) || "all".equals(state), "state", "must be active or all");
        return source.alerts("active".equals(state));
    }

    public void ack(AdminAuth.Caller caller, String id) {
        if (!source.acknowledge(id, caller.actor())) {
            throw AdminException.notFound("Alert '" + id + "' not found");
        }
        audit.record(caller, "alert.ack", id, null, null);
    }
}
