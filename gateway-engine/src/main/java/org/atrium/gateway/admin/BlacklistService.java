package org.atrium.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.Json;
import org.atrium.model.ValidationException;

/**
 * The reference gateway's {@code /blacklist} with its exact shapes, now behind admin
 * authentication. Parameters come from the JSON body or the query string, as in
 * {@code nginx.conf}: {@code POST|PUT {type, target, reason, duration}} answers
 * {@code {"success":true}}; {@code DELETE {type, target}} answers {@code {"success":1}} when a
 * ban was removed and {@code {"success":0}} when there was none (the Redis {@code SREM} count the
 * reference passes through); {@code GET ?type=} answers {@code {"type":..., "list":[...]}}. Missing
 * type or target: 400 {@code {"error":"Missing type or target"}}; other methods 405.
 */
public final class BlacklistService implements HttpService {
    private static final long DEFAULT_DURATION = 3600;
    private final BanService bans;

    public BlacklistService(BanService bans) {
        this.bans = bans;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        Method m = req.prologue().method();
        JsonNode body = m == Method.GET || m == Method.HEAD ? null : AdminBodies.tree(req);
        String type = param(req, body, "type");
        String target = param(req, body, "target");
        if (m == Method.POST || m == Method.PUT) {
            if (type == null || target == null) {
                send(res, Status.BAD_REQUEST_400, Map.of("error", "Missing type or target"));
                return;
            }
            String reason = param(req, body, "reason");
            String d = param(req, body, "duration");
            long duration;
            try {
                duration = d == null ? DEFAULT_DURATION : (long) Double.parseDouble(d);
            } catch (NumberFormatException e) {
                send(res, Status.BAD_REQUEST_400, Map.of("error", "Invalid duration"));
                return;
            }
            BanType t = parseType(res, type);
            if (t == null) {
                return;
            }
            try {
                bans.add(AdminAccess.caller(req), new BanRequest(t, target, reason == null ? "API call" : reason,
                        Math.max(0, duration)), "blacklist.add");
            } catch (ValidationException e) {
                send(res, Status.BAD_REQUEST_400, Map.of("error", e.getMessage()));
                return;
            }
            send(res, Status.OK_200, Map.of("success", true));
        } else if (m == Method.DELETE) {
            if (type == null || target == null) {
                send(res, Status.BAD_REQUEST_400, Map.of("error", "Missing type or target"));
                return;
            }
            BanType t = parseType(res, type);
            if (t == null) {
                return;
            }
            boolean removed;
            try {
                removed = bans.remove(AdminAccess.caller(req), t, target, "blacklist.remove");
            } catch (ValidationException e) {
                send(res, Status.BAD_REQUEST_400, Map.of("error", e.getMessage()));
                return;
            }
            send(res, Status.OK_200, Map.of("success", removed ? 1 : 0));
        } else if (m == Method.GET) {
            String listType = type == null ? "ip" : type;
            BanType t = parseType(res, listType);
            if (t == null) {
                return;
            }
            List<String> list = bans.list(t).stream().map(Ban::target).toList();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", listType);
            out.put("list", list);
            send(res, Status.OK_200, out);
        } else {
            send(res, Status.METHOD_NOT_ALLOWED_405, Map.of("error", "Method not allowed"));
        }
    }

    private static BanType parseType(ServerResponse res, String type) {
        try {
            return BanType.parse(type);
        } catch (ValidationException e) {
            send(res, Status.BAD_REQUEST_400, Map.of("error", "Invalid type: must be ip, user or task"));
            return null;
        }
    }

    /** Body field first, then query parameter, as the reference reads them. Numbers count as text. */
    private static String param(ServerRequest req, JsonNode body, String name) {
        if (body != null && body.isObject()) {
            JsonNode n = body.get(name);
            if (n != null && !n.isNull() && (n.isTextual() || n.isNumber()) && !n.asText().isEmpty()) {
                return n.asText();
            }
        }
        return req.query().first(name).filter(s -> !s.isEmpty()).orElse(null);
    }

    /** The reference answers with {@code ngx.say}, i.e. the JSON followed by a newline. */
    private static void send(ServerResponse res, Status status, Object body) {
        try {
            res.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send((Json.mapper().writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
