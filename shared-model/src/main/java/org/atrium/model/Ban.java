package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An active ban. {@code expiresAt} null means until removed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ban(BanType type, String target, String reason, String addedBy, Instant addedAt, Instant expiresAt) {
    public Ban {
        ValidationException.require(type != null, "type", "is required");
        ValidationException.require(target != null && !target.isBlank() && target.length() <= 256,
                "target", "is required (at most 256 characters)");
        target = target.strip();
        ValidationException.require(reason == null || reason.length() <= 500, "reason", "must be at most 500 characters");
    }

    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
