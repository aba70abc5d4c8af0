package org.atrium.gateway.telemetry.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.atrium.model.GpuSample;

/**
 * The built-in rules. While an alert is active its condition is judged with a small margin
 * (hysteresis), so a value hovering at the threshold does not resolve and re-fire it.
 */
final class Rules {
    static final double GPU_MEMORY_MARGIN = 2.0;
    static final double GPU_TEMPERATURE_MARGIN = 3.0;
    static final double DISK_MARGIN = 1.0;
    static final double ERROR_RATE_CLEAR_FACTOR = 0.8;
    static final double LATENCY_CLEAR_FACTOR = 0.9;

    private static final String CRITICAL = "critical";
    private static final String WARNING = "warning";

    private Rules() {
    }

    /** Observations of every enabled rule; {@code active} says whether an alert id is active now. */
    static List<Observation> evaluate(TelemetrySnapshot s, AlertRulesConfig c, Predicate<String> active) {
        List<Observation> out = new ArrayList<>();
        if (c.ruleOn(AlertRule.GPU_MEMORY) || c.ruleOn(AlertRule.GPU_TEMPERATURE)) {
            for (GpuSample g : s.gpus()) {
                gpu(g, c, active, out);
            }
        }
        if (c.ruleOn(AlertRule.BACKEND_DOWN) || c.ruleOn(AlertRule.CIRCUIT_OPEN)) {
            for (var b : s.backends()) {
                String subject = b.route() + ":" + b.backend();
                if (c.ruleOn(AlertRule.BACKEND_DOWN)) {
                    out.add(new Observation(AlertRule.BACKEND_DOWN, subject, !b.up(), CRITICAL,
                            "Backend " + b.backend() + " of route " + b.route() + " is down", c.backendDownFor()));
                }
                if (c.ruleOn(AlertRule.CIRCUIT_OPEN)) {
                    String circuit = b.circuit() == null ? "closed" : b.circuit().toLowerCase(Locale.ROOT);
                    // half-open is a probe in progress: neither proof of recovery nor of failure
                    Boolean holds = circuit.equals("open") ? Boolean.TRUE : circuit.startsWith("half") ? null : Boolean.FALSE;
                    out.add(new Observation(AlertRule.CIRCUIT_OPEN, subject, holds, WARNING,
                            "Circuit breaker open for backend " + b.backend() + " of route " + b.route(), c.circuitOpenFor()));
                }
            }
        }
        for (var t : s.tenants()) {
            if (c.ruleOn(AlertRule.ERROR_RATE)) {
                String id = AlertIds.of(AlertRule.ERROR_RATE, t.tenant());
                double rate = t.requests() == 0 ? 0 : 100.0 * t.errors() / t.requests();
                double limit = active.test(id) ? c.errorRatePercent() * ERROR_RATE_CLEAR_FACTOR : c.errorRatePercent();
                boolean holds = t.requests() >= c.errorRateMinRequests() && rate > limit;
                out.add(new Observation(AlertRule.ERROR_RATE, t.tenant(), holds, WARNING,
                        String.format(Locale.ROOT, "Tenant %s: %.1f %% of %d calls failed in the last 5 minutes (limit %.1f %%)",
                                t.tenant(), rate, t.requests(), c.errorRatePercent()), Duration.ZERO));
            }
            if (c.ruleOn(AlertRule.QUOTA) && t.quotaUsedPercent() != null) {
                out.add(new Observation(AlertRule.QUOTA, t.tenant(), t.quotaUsedPercent() >= c.quotaPercent(), WARNING,
                        String.format(Locale.ROOT, "Tenant %s has used %.0f %% of its daily quota", t.tenant(),
                                t.quotaUsedPercent()), Duration.ZERO));
            }
        }
        if (c.ruleOn(AlertRule.LATENCY_P99)) {
            for (var r : s.routes()) {
                String id = AlertIds.of(AlertRule.LATENCY_P99, r.route());
                double thresholdMs = c.p99ThresholdFor(r.route()).toMillis();
                double limit = active.test(id) ? thresholdMs * LATENCY_CLEAR_FACTOR : thresholdMs;
                boolean holds = r.requests() >= c.latencyMinRequests() && r.p99Ms() > limit;
                out.add(new Observation(AlertRule.LATENCY_P99, r.route(), holds, WARNING,
                        String.format(Locale.ROOT, "Route %s p99 latency %.0f ms (limit %.0f ms)", r.route(), r.p99Ms(),
                                thresholdMs), c.latencySustain()));
            }
        }
        if (c.ruleOn(AlertRule.REDIS_UNREACHABLE) && s.redisReachable() != null) {
            out.add(new Observation(AlertRule.REDIS_UNREACHABLE, "redis", !s.redisReachable(), CRITICAL,
                    "Redis is unreachable; limits are enforced per node from the last known state",
                    c.redisUnreachableFor()));
        }
        if (c.ruleOn(AlertRule.DISK_LOW) && s.dataDirFreePercent() != null) {
            String id = AlertIds.of(AlertRule.DISK_LOW, "data-dir");
            double limit = active.test(id) ? c.diskFreePercent() + DISK_MARGIN : c.diskFreePercent();
            out.add(new Observation(AlertRule.DISK_LOW, "data-dir", s.dataDirFreePercent() < limit, CRITICAL,
                    String.format(Locale.ROOT, "Data directory disk has %.1f %% free", s.dataDirFreePercent()),
                    Duration.ZERO));
        }
        return out;
    }

    private static void gpu(GpuSample g, AlertRulesConfig c, Predicate<String> active, List<Observation> out) {
        String subject = g.node() + ":" + g.index();
        String label = "GPU " + g.index() + " on " + g.node() + (g.name() == null ? "" : " (" + g.name() + ")");
        if (c.ruleOn(AlertRule.GPU_MEMORY)) {
            Boolean holds = null;
            double pct = Double.NaN;
            if (!g.stale() && g.memoryUsedMiB() != null && g.memoryTotalMiB() != null && g.memoryTotalMiB() > 0) {
                pct = 100.0 * g.memoryUsedMiB() / g.memoryTotalMiB();
                boolean on = active.test(AlertIds.of(AlertRule.GPU_MEMORY, subject));
                holds = pct > (on ? c.gpuMemoryPercent() - GPU_MEMORY_MARGIN : c.gpuMemoryPercent());
            }
            out.add(new Observation(AlertRule.GPU_MEMORY, subject, holds, WARNING,
                    String.format(Locale.ROOT, "%s memory %.1f %% used (limit %.0f %%)", label, pct, c.gpuMemoryPercent()),
                    c.gpuSustain()));
        }
        if (c.ruleOn(AlertRule.GPU_TEMPERATURE)) {
            Boolean holds = null;
            if (!g.stale() && g.temperatureC() != null) {
                boolean on = active.test(AlertIds.of(AlertRule.GPU_TEMPERATURE, subject));
                holds = g.temperatureC() > (on ? c.gpuTemperatureC() - GPU_TEMPERATURE_MARGIN : c.gpuTemperatureC());
            }
            out.add(new Observation(AlertRule.GPU_TEMPERATURE, subject, holds, CRITICAL,
                    String.format(Locale.ROOT, "%s at %.0f °C (limit %.0f °C)", label,
                            g.temperatureC() == null ? Double.NaN : g.temperatureC(), c.gpuTemperatureC()),
                    c.gpuSustain()));
        }
    }
}
