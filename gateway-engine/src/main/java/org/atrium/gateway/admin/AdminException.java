package org.atrium.gateway.admin;

import org.atrium.model.ErrorCode;

/**
 * A refusal raised by admin logic (not found, conflict, forbidden...). {@link AdminErrors} turns it
 * into an {@code ApiError}; the CLI turns it into an exit code.
 */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final String field;

    public AdminException(ErrorCode code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public AdminException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public static AdminException notFound(String message) {
        return new AdminException(ErrorCode.NOT_FOUND, message);
    }

    public static AdminException conflict(String message) {
        return new AdminException(ErrorCode.CONFLICT, message);
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }
}
