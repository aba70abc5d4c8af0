package org.atrium.gateway.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.security.Principal;
import org.atrium.gateway.state.StateView;
import org.atrium.model.BanType;
import org.atrium.model.ErrorCode;

/**
 * Stage 5: which route serves the call. {@code /api/task/{task}/...} by task id; OpenAI calls by
 * the body's {@code model}, which may be a route id or an alias (permission is checked against the
 * route it resolves to). Order as the reference: missing task 400, not allowed 403, no route 404;
 * then task bans on the resolved route.
 */
public final class RouteStage implements Stage {
    static final ObjectMapper STRICT_JSON = org.atrium.model.Json.untrusted();

    private final RouteRegistry routes;
    private final StateView state;
    private final Clock clock;
    private final long maxBodyBytes;

    public RouteStage(RouteRegistry routes, StateView state, Clock clock, long maxBodyBytes) {
        this.routes = routes;
        this.state = state;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int order() {
        return ROUTE;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        String name = switch (ex.kind()) {
            case TASK -> ex.taskId();
            case OPENAI -> modelOf(ex);
            case OTHER -> null;
        };
        if (name == null || name.isBlank()) {
            throw new Rejection(ErrorCode.MISSING_TASK_ID, ex.kind() == Exchange.Kind.OPENAI ? "Missing model" : "Missing task_id");
        }
        ex.taskId(name);
        Principal p = ex.principal();
        Optional<Route> found = routes.table().resolve(name);
        if (found.isEmpty()) {
            if (p.mayUse(name) && ex.tenant().allowsRoute(name)) {
                throw new Rejection(ErrorCode.NOT_FOUND).with("task_id", name);
            }
            throw new Rejection(ErrorCode.FORBIDDEN).with("task_id", name);
        }
        Route route = found.get();
        if (!allowed(p, route) || !ex.tenant().allowsRoute(route.id())) {
            throw new Rejection(ErrorCode.FORBIDDEN).with("task_id", name);
        }
        var now = clock.instant();
        if (state.bans().find(BanType.TASK, route.id(), now).isPresent()) {
            throw IpCheckStage.blacklisted("task", route.id());
        }
        if (!name.equals(route.id()) && state.bans().find(BanType.TASK, name, now).isPresent()) {
            throw IpCheckStage.blacklisted("task", name);
        }
        ex.route(route);
    }

    /** A token may use a route if it names its id or one of its aliases, or {@code "*"}. */
    public static boolean allowed(Principal p, Route route) {
        if (p.mayUse(route.id())) {
            return true;
        }
        return route.spec().aliases().stream().anyMatch(p::mayUse);
    }

    private String modelOf(Exchange ex) throws Rejection {
        byte[] body = ex.bodyReader().read(maxBodyBytes);
        ex.body(body);
        ex.bytesIn(body.length);
        JsonNode node;
        try {
            node = STRICT_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            String detail = why != null && why.startsWith("Duplicate field") ? "duplicate field in JSON body"
                    : why != null && why.contains("nesting depth") ? "JSON nested too deeply"
                    : why != null && why.contains("exceeds the maximum") ? "JSON value too large"
                    : "request body is not valid JSON";
            throw new Rejection(ErrorCode.BAD_REQUEST, detail);
        } catch (IOException e) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "request body must be a JSON object");
        }
        ObjectNode obj = (ObjectNode) node;
        ex.json(obj);
        JsonNode model = obj.get("model");
        if (model == null || model.isNull()) {
            return null;
        }
        if (!model.isTextual()) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "'model' must be a string");
        }
        JsonNode stream = obj.get("stream");
        ex.stream(stream != null && stream.asBoolean(false));
        return model.asText().strip();
    }
}
