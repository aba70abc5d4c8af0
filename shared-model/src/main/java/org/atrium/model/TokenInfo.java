package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the registry keeps about an issued token (never the token itself). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenInfo(String jti, String tenant, String user, List<String> allowedTasks, String role,
                        Instant issuedAt, Instant expiresAt, Instant revokedAt, String issuedBy) {
    public TokenInfo {
        allowedTasks = allowedTasks == null ? List.of() : List.copyOf(allowedTasks);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
