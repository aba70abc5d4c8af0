package org.atrium.gateway.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.logging.Logger;
import org.atrium.model.ErrorCode;

/**
 * Answers for requests Helidon refuses before any route runs (malformed HTTP, oversized bodies,
 * headers beyond the parser's backstop): the same JSON error shape with a stable code instead of
 * Helidon's empty 400, and never the parser's message (it may quote the request). Helidon does not
 * say why it refused, so the configured header limit is enforced by {@link HeaderLimitFilter}.
 */
public final class TransportErrors implements DirectHandler {
    private static final Logger LOG = Logger.getLogger(TransportErrors.class.getName());

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        ErrorCode code = classify(eventType, status, message);
        LOG.fine(() -> "Refused at transport level: " + eventType + " " + status.code() + " " + message);
        String body = "{\"error\":\"" + code.message() + "\",\"code\":\"" + code.name() + "\"}";
        return TransportResponse.builder()
                .status(Status.create(code.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .keepAlive(false)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static ErrorCode classify(EventType type, Status status, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (type == EventType.PAYLOAD_TOO_LARGE || status.code() == 413) {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (status.code() == 431 || (m.contains("header") && (m.contains("exceed") || m.contains("too large")
                || m.contains("size") || m.contains("too long") || m.contains("maximum")))) {
            return ErrorCode.HEADERS_TOO_LARGE;
        }
        if (m.contains("prologue") && (m.contains("exceed") || m.contains("too long") || m.contains("maximum"))) {
            return ErrorCode.HEADERS_TOO_LARGE;
        }
        if (status.code() == 408) {
            return ErrorCode.REQUEST_TIMEOUT;
        }
        return status.code() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
    }
}
