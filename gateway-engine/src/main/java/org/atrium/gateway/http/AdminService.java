package org.atrium.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.GatewayStatus;
import org.atrium.model.Json;

/** The admin listener's status resource; the other admin resources register beside it. */
public final class AdminService implements HttpService {
    private final AdminAuth auth;
    private final String version;
    private final String nodeId;
    private final Instant startedAt;
    private final String stateBackend;
    private final BooleanSupplier ready;
    private final ZoneId quotaZone;

    public AdminService(AdminAuth auth, String version, String nodeId, Instant startedAt, String stateBackend,
                        BooleanSupplier ready) {
        this(auth, version, nodeId, startedAt, stateBackend, ready, null);
    }

    /** @param quotaZone where daily quotas reset at midnight; reported so clients show the same "today" */
    public AdminService(AdminAuth auth, String version, String nodeId, Instant startedAt, String stateBackend,
                        BooleanSupplier ready, ZoneId quotaZone) {
        this.quotaZone = quotaZone;
        this.auth = auth;
        this.version = version;
        this.nodeId = nodeId;
        this.startedAt = startedAt;
        this.stateBackend = stateBackend;
        this.ready = ready;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/status", this::status);
    }

    private void status(ServerRequest req, ServerResponse res) {
        AdminAuth.Caller caller;
        try {
            caller = auth.authenticate(req);
        } catch (Rejection r) {
            ErrorBodies.send(res, r, false, null);
            return;
        }
        sendJson(res, new GatewayStatus(version, nodeId, startedAt, stateBackend, ready.getAsBoolean(), caller.role(),
                quotaZone == null ? null : quotaZone.getId(), caller.actor()));
    }

    static void sendJson(ServerResponse res, Object body) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, "application/json").send(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
