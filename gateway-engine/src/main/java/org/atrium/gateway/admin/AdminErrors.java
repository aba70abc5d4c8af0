package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.state.StateException;
import org.atrium.model.ApiError;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;
import org.atrium.model.ValidationException;

/**
 * The one place admin errors become answers: {@code ApiError} bodies with a stable code, the field
 * for validation errors, never a stack trace. Jackson's wrappers are unwrapped so a record's
 * {@link ValidationException} still names its field.
 */
public final class AdminErrors {
    private static final Logger LOG = Logger.getLogger(AdminErrors.class.getName());

    private AdminErrors() {
    }

    /** Registers the mapping on the admin listener's routing. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, (req, res, t) -> {
            HttpException helidon = clientError(t);
            if (helidon != null && helidon.status().code() == 404) {
                // Helidon answers an unknown path and a known path with another method alike
                send(res, new ApiError("No admin endpoint " + req.prologue().method().text() + " " + req.path().path()
                        + " (the API is described at GET /admin/v1/openapi.yaml; /health and /ready are on the data"
                        + " listener)", ErrorCode.NOT_FOUND.name(), null, null), 404);
            } else {
                send(res, t);
            }
        });
    }

    /** Status and body for any failure; internal errors are logged here and answered generically. */
    public static ApiError toApiError(Throwable t) {
        ValidationException v = validation(t);
        if (v != null) {
            return new ApiError(message(v), ErrorCode.VALIDATION_FAILED.name(), v.field(), null);
        }
        if (t instanceof AdminException a) {
            return new ApiError(a.getMessage(), a.code().name(), a.field(), null);
        }
        if (t instanceof Rejection r) {
            Object detail = r.fields().get("detail");
            return new ApiError(r.getMessage(), r.code().name(), null, detail == null ? null : detail.toString());
        }
        if (t instanceof UnrecognizedPropertyException u) {
            return new ApiError("Unknown field '" + u.getPropertyName() + "'", ErrorCode.VALIDATION_FAILED.name(),
                    path(u), null);
        }
        if (t instanceof StreamConstraintsException) {
            return new ApiError("Request body exceeds a size limit", ErrorCode.BAD_REQUEST.name(), null, null);
        }
        if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return new ApiError("Wrong type or value for '" + path(m) + "'", ErrorCode.VALIDATION_FAILED.name(), path(m),
                    null);
        }
        if (t instanceof JsonProcessingException) {
            return new ApiError("Malformed JSON body", ErrorCode.BAD_REQUEST.name(), null, null);
        }
        if (t instanceof StateException s) {
            LOG.log(Level.WARNING, "State store failed during an admin call: " + s.getMessage());
            return new ApiError("State store unavailable", ErrorCode.NOT_READY.name(), null, null);
        }
        if (t instanceof RequestException re) {
            return new ApiError(re.getMessage(), ErrorCode.BAD_REQUEST.name(), null, null);
        }
        HttpException helidon = clientError(t);
        if (helidon != null) {
            return switch (helidon.status().code()) {
                case 404 -> new ApiError("No such admin endpoint", ErrorCode.NOT_FOUND.name(), null, null);
                case 405 -> ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, null);
                default -> new ApiError(helidon.getMessage(), ErrorCode.BAD_REQUEST.name(), null, null);
            };
        }
        LOG.log(Level.WARNING, "Admin call failed", t);
        return ApiError.of(ErrorCode.INTERNAL_ERROR, null);
    }

    /** The status for {@code t}, whose body {@code e} is (computed once: an internal error is logged there). */
    private static int statusOf(Throwable t, ApiError e) {
        if (t instanceof RequestException re && re.status().code() >= 400 && re.status().code() < 500) {
            return re.status().code();
        }
        HttpException helidon = clientError(t);
        if (helidon != null) {
            return helidon.status().code();
        }
        return ErrorCode.valueOf(e.code()).status();
    }

    public static void send(ServerResponse res, ApiError error, int status) {
        if (res.isSent()) {
            return;
        }
        try {
            res.status(Status.create(status))
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(Json.mapper().writeValueAsBytes(error));
        } catch (JsonProcessingException e) {
            res.status(Status.INTERNAL_SERVER_ERROR_500).send();
        }
    }

    public static void send(ServerResponse res, Throwable t) {
        ApiError e = toApiError(t);
        send(res, e, statusOf(t, e));
    }

    /** Helidon's own 4xx (no route, wrong method), or null. */
    private static HttpException clientError(Throwable t) {
        return t instanceof HttpException he && he.status().code() >= 400 && he.status().code() < 500 ? he : null;
    }

    /** The first {@link ValidationException} in the cause chain (Jackson wraps constructor failures). */
    static ValidationException validation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ValidationException v) {
                return v;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static String message(ValidationException v) {
        return v.getMessage();
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
