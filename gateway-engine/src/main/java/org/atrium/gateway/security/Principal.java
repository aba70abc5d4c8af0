package org.atrium.gateway.security;

import java.time.Instant;
import java.util.List;
import org.atrium.model.Priority;

/**
 * Who is calling, from a verified token. {@code user} is the {@code user_id} claim, else {@code sub};
 * {@code tenant} is {@code tenant} or {@code tenant_id}, else {@code default}.
 */
public record Principal(String user, String tenant, List<String> allowedTasks, String role, String jti,
                        Instant issuedAt, Instant expiresAt, Priority priority) {
    public Principal {
        allowedTasks = List.copyOf(allowedTasks);
    }

    /** Whether the token's own scope lets it call {@code routeId} (or its alias {@code asked}). */
    public boolean mayUse(String routeId) {
        return allowedTasks.contains("*") || allowedTasks.contains(routeId);
    }

    public boolean admin() {
        return "admin".equals(role);
    }
}
