package org.atrium.model;

import java.time.Instant;

/** Answer of {@code GET /admin/v1/status}. */
public record GatewayStatus(String version, String nodeId, Instant startedAt, String stateBackend, boolean ready,
                            String role) {
}
