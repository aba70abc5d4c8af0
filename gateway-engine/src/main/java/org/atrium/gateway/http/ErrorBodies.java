package org.atrium.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;

/**
 * The one place error answers are written. {@code /v1/**} gets the OpenAI shape
 * {@code {"error": {"message", "type", "code"}}} so SDKs show it; everything else the reference
 * gateway's {@code {"error": "...", "code": "CODE", ...}}. Both carry the same stable code.
 */
public final class ErrorBodies {
    private static final ObjectMapper JSON = Json.mapper();

    private ErrorBodies() {
    }

    public static void send(ServerResponse res, Rejection r, boolean openAi, String requestId) {
        if (res.isSent()) {
            return;
        }
        res.status(r.status());
        r.headers().forEach(res::header);
        if (requestId != null) {
            res.header("X-Request-ID", requestId);
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(openAi ? openAi(r) : reference(r));
    }

    static byte[] reference(Rejection r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", r.getMessage());
        r.fields().forEach(body::put);
        body.put("code", r.code().name());
        return bytes(body);
    }

    static byte[] openAi(Rejection r) {
        Map<String, Object> err = new LinkedHashMap<>();
        Object detail = r.fields().get("detail");
        Object reason = r.fields().get("reason");
        String message = r.getMessage() + (reason != null ? " (" + reason + ")" : "")
                + (detail != null ? ": " + detail : "");
        err.put("message", message);
        err.put("type", openAiType(r.code()));
        err.put("param", r.code() == ErrorCode.MISSING_TASK_ID ? "model" : null);
        err.put("code", r.code().name());
        return bytes(Map.of("error", err));
    }

    static String openAiType(ErrorCode code) {
        return switch (code.status()) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> code.status() >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"Internal error\",\"code\":\"INTERNAL_ERROR\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
