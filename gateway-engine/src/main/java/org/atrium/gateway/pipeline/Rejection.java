package org.atrium.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import org.atrium.model.ErrorCode;

/**
 * A stage's refusal: status and code from {@link ErrorCode}, the message shown to the caller, extra
 * fields of the reference gateway's error body ({@code reason}, {@code task_id}, {@code detail}) and
 * response headers such as {@code Retry-After}. Never carries internal addresses or stack traces.
 */
public final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, Object> fields = new LinkedHashMap<>();
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    public Rejection(ErrorCode code) {
        this(code, code.message());
    }

    public Rejection(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public Rejection with(String field, Object value) {
        if (value != null) {
            fields.put(field, value);
        }
        return this;
    }

    public Rejection header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds {@code Retry-After} in whole seconds (at least 1). */
    public Rejection retryAfterSeconds(long seconds) {
        return header("Retry-After", Long.toString(Math.max(1, seconds)));
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
