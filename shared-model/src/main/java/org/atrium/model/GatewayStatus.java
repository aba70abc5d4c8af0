package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Answer of {@code GET /admin/v1/status}. {@code quotaZone} is the time zone whose midnight resets the
 * daily quotas (an IANA id such as {@code Asia/Shanghai}): clients show "today" and every time in it.
 * Null from a gateway older than the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                            String role, String quotaZone) {
    /** Without the quota zone (older callers). */
    public GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                         String role) {
        this(version, nodeId, startedAt, stateBackend, ready, role, null);
    }
}
