package org.atrium.model;

/**
 * Stable error codes with the HTTP status each one answers with. The names are part of the wire
 * contract (the reference gateway's codes are kept verbatim), so never rename one.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "Bad request"),
    VALIDATION_FAILED(400, "Validation failed"),
    MISSING_TASK_ID(400, "Missing task_id"),
    NO_TOKEN(401, "Missing authorization header"),
    INVALID_TOKEN(401, "Invalid or expired token"),
    BLACKLISTED(403, "Access denied"),
    USER_BLACKLISTED(403, "Access denied"),
    TENANT_DISABLED(403, "Tenant is disabled"),
    FORBIDDEN(403, "Forbidden: No access to this task"),
    NOT_FOUND(404, "Task backend not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    REQUEST_TIMEOUT(408, "Request timeout"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    RATE_LIMITED(429, "Rate limit exceeded"),
    QUOTA_EXCEEDED(429, "Daily quota exceeded"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL_ERROR(500, "Internal error"),
    UPSTREAM_ERROR(502, "Upstream error"),
    UPSTREAM_UNAVAILABLE(503, "Upstream unavailable"),
    QUEUE_TIMEOUT(503, "Timed out waiting for GPU capacity"),
    QUEUE_FULL(503, "Too many requests waiting for GPU capacity"),
    NOT_READY(503, "Not ready"),
    TOO_MANY_CONNECTIONS(503, "Too many open connections"),
    UPSTREAM_TIMEOUT(504, "Upstream timeout");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** Default human-readable message (the reference gateway's wording where it had one). */
    public String message() {
        return message;
    }
}
