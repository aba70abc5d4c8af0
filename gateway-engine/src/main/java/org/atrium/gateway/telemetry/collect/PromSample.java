package org.atrium.gateway.telemetry.collect;

import java.util.Map;
import java.util.Objects;

/** One sample line of a Prometheus text exposition: name, labels, value and optional timestamp (ms). */
record PromSample(String name, Map<String, String> labels, double value, Long timestampMs) {
    PromSample {
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    String label(String key) {
        return labels.get(key);
    }
}
