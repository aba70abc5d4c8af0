package org.atrium.console.view;

import org.atrium.console.client.AdminApiException;
import org.atrium.model.ValidationException;

/** A failed command in words a person can act on, with the error code support staff search for. */
public record Problem(String code, String message, String field) {
    public static Problem of(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && !(e instanceof AdminApiException) && !(e instanceof ValidationException)) {
            e = e.getCause();
        }
        if (e instanceof AdminApiException a) {
            return new Problem(a.code(), a.getMessage(), a.field());
        }
        if (e instanceof ValidationException v) {
            return new Problem("VALIDATION_FAILED", v.getMessage(), v.field());
        }
        if (e instanceof IllegalArgumentException) {
            return new Problem("INVALID_INPUT", e.getMessage(), null);
        }
        return new Problem("INTERNAL_ERROR", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
    }
}
