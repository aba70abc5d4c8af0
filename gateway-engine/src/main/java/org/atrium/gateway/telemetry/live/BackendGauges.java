package org.atrium.gateway.telemetry.live;

import java.util.Optional;
import org.atrium.gateway.telemetry.collect.EngineStats;

/** Per-backend state the gateway core owns (health checks, balancer, circuit breaker) plus engine stats. */
public interface BackendGauges {
    boolean up(String route, String backend);

    int inFlight(String route, String backend);

    /** {@code closed}, {@code open} or {@code half_open}; null without a breaker. */
    String circuit(String route, String backend);

    /** Decode speed the balancer learned for this backend, tokens per second; NaN while unknown. */
    default double tokensPerSecond(String route, String backend) {
        return Double.NaN;
    }

    /** Typically {@code GpuTelemetry::engineStats}. */
    default Optional<EngineStats> engine(String route, String backend) {
        return Optional.empty();
    }
}
