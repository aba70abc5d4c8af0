package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a route spreads calls over its backends. {@code INFERENCE} is for LLM engines: it weighs each
 * backend's queue, KV-cache use, learned speed and prompt-prefix affinity (docs/traffic.md).
 */
public enum Balancer {
    ROUND_ROBIN, WEIGHTED, LEAST_CONNECTIONS, INFERENCE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Balancer parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return valueOf(s.trim().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("balancer", "must be round_robin, weighted, least_connections or inference");
        }
    }
}
