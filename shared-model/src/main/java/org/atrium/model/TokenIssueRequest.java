package org.atrium.model;

import java.util.List;

/** Admin API body that issues a JWT for a tenant's user. */
public record TokenIssueRequest(String tenant, String user, List<String> allowedTasks, String role,
                                Long ttlSeconds, Priority priority) {
    public TokenIssueRequest {
        tenant = tenant == null || tenant.isBlank() ? TenantSpec.DEFAULT_ID : tenant.strip();
        ValidationException.require(TenantSpec.ID.matcher(tenant).matches(), "tenant", "invalid tenant id");
        ValidationException.require(user != null && user.matches("[^\\p{Cntrl}]{1,128}"), "user",
                "is required (1-128 characters, no control characters)");
        allowedTasks = allowedTasks == null || allowedTasks.isEmpty() ? List.of("*") : List.copyOf(allowedTasks);
        for (String t : allowedTasks) {
            ValidationException.require(t != null && (t.equals("*") || RouteSpec.ID.matcher(t).matches()),
                    "allowedTasks", "invalid task '" + t + "'");
        }
        role = role == null || role.isBlank() ? "user" : role.strip();
        ValidationException.require(role.equals("user") || role.equals("admin") || role.equals("auditor"),
                "role", "must be user, admin or auditor");
        ValidationException.require(ttlSeconds == null || ttlSeconds > 0, "ttlSeconds", "must be positive");
    }
}
