package org.atrium.gateway.telemetry.collect;

import java.time.Duration;

/**
 * Scraping of the inference engines' own {@code /metrics} (vLLM, TGI). Targets come from the
 * routes at run time ({@link GpuTelemetry#engineTargets(java.util.List)}).
 *
 * @param enabled  default true
 * @param interval poll period, default 5 s
 * @param timeout  per-scrape timeout, default 2 s
 * @param balancerInterval poll period for the backends of {@code balancer: inference} routes, default 1 s
 */
public record EngineMetricsConfig(Boolean enabled, Duration interval, Duration timeout, Duration balancerInterval) {
    public EngineMetricsConfig(Boolean enabled, Duration interval, Duration timeout) {
        this(enabled, interval, timeout, null);
    }

    public EngineMetricsConfig {
        enabled = enabled == null || enabled;
        interval = Durations.orDefault(interval, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10), "interval");
        timeout = Durations.orDefault(timeout, Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMinutes(1), "timeout");
        balancerInterval = Durations.orDefault(balancerInterval, Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofMinutes(1), "balancerInterval");
    }

    public static EngineMetricsConfig defaults() {
        return new EngineMetricsConfig(null, null, null, null);
    }
}
