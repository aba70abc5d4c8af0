package org.atrium.console.client;

import org.atrium.model.ApiError;

/**
 * A failed admin call, with the gateway's error code (e.g. {@code VALIDATION_FAILED}) or one of the
 * client-side codes below when no gateway answer was read.
 */
public final class AdminApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** No gateway answered at the address (refused, unknown host, timed out). */
    public static final String UNREACHABLE = "UNREACHABLE";
    /** The gateway answered with something that is not the admin API. */
    public static final String BAD_RESPONSE = "BAD_RESPONSE";
    /** The request was rejected before sending (e.g. a record failed validation). */
    public static final String INVALID_INPUT = "INVALID_INPUT";

    private final int status;
    private final String code;
    private final String field;

    public AdminApiException(int status, String code, String message, String field, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static AdminApiException of(int status, ApiError e) {
        return new AdminApiException(status, e.code(), e.error(), e.field(), null);
    }

    /** HTTP status, or 0 when the gateway was not reached. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field a validation error names, or null. */
    public String field() {
        return field;
    }
}
