package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Error body of the admin API and of {@code /api/task/**}: the reference gateway's shape
 * {@code {"error": "...", "code": "CODE"}}, plus the offending field for validation errors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String code, String field, String detail) {
    public ApiError {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("code is required");
        }
    }

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(message == null ? code.message() : message, code.name(), null, null);
    }
}
