package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An alert as the console shows it. {@code resolvedAt} null while it is active. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertInfo(String id, String rule, String severity, String subject, String message,
                        Instant firedAt, Instant resolvedAt, boolean acknowledged) {
    public boolean active() {
        return resolvedAt == null;
    }
}
