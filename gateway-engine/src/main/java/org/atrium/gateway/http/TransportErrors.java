package org.atrium.gateway.http;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.model.ErrorCode;

/**
 * Answers for requests Helidon refuses before any route runs (malformed HTTP, oversized bodies,
 * headers beyond the parser's backstop): the same JSON error shape with a stable code instead of
 * Helidon's empty 400, and never the parser's message (it may quote the request). Helidon does not
 * say why it refused, so the configured header limit is enforced by {@link HeaderLimitFilter}.
 */
public final class TransportErrors implements DirectHandler {
    private static final Logger LOG = Logger.getLogger(TransportErrors.class.getName());

    /**
     * Answers the data listener's malformed requests, oversized bodies and the errors Helidon meets
     * while parsing a request head (an unregistered event type gets a bare 500 with no body).
     */
    public static void register(DirectHandlers.Builder handlers) {
        TransportErrors errors = new TransportErrors();
        for (EventType type : List.of(EventType.BAD_REQUEST, EventType.PAYLOAD_TOO_LARGE, EventType.OTHER,
                EventType.INTERNAL_ERROR)) {
            handlers.addHandler(type, errors);
        }
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        ErrorCode code = classify(eventType, status, message, request == TransportRequest.empty());
        // The parser's message may quote the request (header values, body bytes): never logged.
        LOG.fine(() -> "Refused at transport level: " + eventType + " " + status.code() + " -> " + code);
        return TransportResponse.builder()
                .status(Status.create(code.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .keepAlive(false)
                .entity(ErrorBodies.reference(new Rejection(code)))
                .build();
    }

    /**
     * {@code unparsed}: the request head could not be parsed at all (Helidon then reports an
     * "internal error" with an empty request, e.g. for an invalid method token such as {@code G@T}):
     * the client's fault, 400. A transfer coding Helidon does not implement ({@code gzip, chunked},
     * its 501) is refused as a framing error too (RFC 9112 6.1), so one status covers every
     * Transfer-Encoding other than exactly {@code chunked}.
     */
    static ErrorCode classify(EventType type, Status status, String message, boolean unparsed) {
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
        if (status.code() == 501 || (type == EventType.INTERNAL_ERROR && unparsed)) {
            return ErrorCode.BAD_REQUEST;
        }
        return status.code() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
    }
}
