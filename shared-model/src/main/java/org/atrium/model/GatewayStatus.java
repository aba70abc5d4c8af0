package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Answer of {@code GET /admin/v1/status}. {@code quotaZone} is the time zone whose midnight resets the
 * daily quotas (an IANA id such as {@code Asia/Shanghai}): clients show "today" and every time in it.
 * {@code actor} is who the caller's token names (the audit trail's "who": {@code admin-token} for the
 * service's token, the person for a personal admin or auditor token). Both null from older gateways.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                            String role, String quotaZone, String actor) {
    /** Without the quota zone (older callers). */
    public GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                         String role) {
        this(version, nodeId, startedAt, stateBackend, ready, role, null, null);
    }

    /** Without the caller's name. */
    public GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                         String role, String quotaZone) {
        this(version, nodeId, startedAt, stateBackend, ready, role, quotaZone, null);
    }
}
