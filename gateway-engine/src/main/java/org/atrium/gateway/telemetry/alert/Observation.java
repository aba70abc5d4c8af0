package org.atrium.gateway.telemetry.alert;

import java.time.Duration;

/**
 * What one rule says about one subject now: {@code holds} true (condition met), false (clear) or
 * null (no usable data, e.g. a stale GPU: neither fire nor resolve on it).
 */
record Observation(AlertRule rule, String subject, Boolean holds, String severity, String message, Duration sustain) {
    String id() {
        return AlertIds.of(rule, subject);
    }
}
