package org.atrium.gateway.telemetry.collect;

import java.time.Duration;

/** Defaults and bounds for the collectors' config durations. */
final class Durations {
    private Durations() {
    }

    static Duration orDefault(Duration value, Duration dflt, Duration min, Duration max, String field) {
        Duration d = value == null ? dflt : value;
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max);
        }
        return d;
    }
}
