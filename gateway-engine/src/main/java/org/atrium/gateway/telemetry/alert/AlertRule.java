package org.atrium.gateway.telemetry.alert;

import java.util.Locale;

/** The built-in rules. {@link #id()} is what {@code AlertInfo.rule} and alert ids carry. */
public enum AlertRule {
    GPU_MEMORY, GPU_TEMPERATURE, BACKEND_DOWN, CIRCUIT_OPEN, ERROR_RATE, QUOTA, LATENCY_P99, REDIS_UNREACHABLE,
    DISK_LOW;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertRule parse(String s) {
        try {
            return valueOf(s.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown alert rule '" + s + "'");
        }
    }
}
