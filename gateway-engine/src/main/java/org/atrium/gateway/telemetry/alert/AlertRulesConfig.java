package org.atrium.gateway.telemetry.alert;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thresholds of the built-in rules; every null field takes its default.
 *
 * @param enabled              default true
 * @param gpuMemoryPercent     default 95: memory used above this ...
 * @param gpuTemperatureC      default 85: ... or temperature above this ...
 * @param gpuSustain           default 60 s: ... for this long fires
 * @param backendDownFor       default 10 s down before firing
 * @param circuitOpenFor       default 0 s (fires on the first open circuit seen)
 * @param errorRatePercent     default 5: tenant 5xx share over the 5-minute window above this fires
 * @param errorRateMinRequests default 20 calls in the window, below that the rate is not judged
 * @param quotaPercent         default 90: tenant quota use at or above this fires
 * @param p99Threshold         default 30 s: route p99 latency above this ...
 * @param p99ThresholdByRoute  per-route override of {@code p99Threshold}, default none
 * @param latencyMinRequests   default 20 calls behind the p99, below that it is not judged
 * @param latencySustain       default 60 s above the threshold before firing
 * @param redisUnreachableFor  default 5 s
 * @param diskFreePercent      default 5: data-dir free space below this fires
 * @param resolveAfter         default 30 s: a condition must stay clear this long before its alert resolves
 * @param disabledRules        rule ids to skip ({@link AlertRule#id()}), default none
 */
public record AlertRulesConfig(Boolean enabled, Double gpuMemoryPercent, Double gpuTemperatureC, Duration gpuSustain,
                               Duration backendDownFor, Duration circuitOpenFor, Double errorRatePercent,
                               Long errorRateMinRequests, Double quotaPercent, Duration p99Threshold,
                               Map<String, Duration> p99ThresholdByRoute, Long latencyMinRequests,
                               Duration latencySustain, Duration redisUnreachableFor, Double diskFreePercent,
                               Duration resolveAfter, Set<String> disabledRules) {
    public AlertRulesConfig {
        enabled = enabled == null || enabled;
        gpuMemoryPercent = percent(gpuMemoryPercent, 95, "gpuMemoryPercent");
        gpuTemperatureC = gpuTemperatureC == null ? 85.0 : gpuTemperatureC;
        if (gpuTemperatureC < 30 || gpuTemperatureC > 120) {
            throw new IllegalArgumentException("gpuTemperatureC must be between 30 and 120");
        }
        gpuSustain = duration(gpuSustain, Duration.ofSeconds(60), "gpuSustain");
        backendDownFor = duration(backendDownFor, Duration.ofSeconds(10), "backendDownFor");
        circuitOpenFor = duration(circuitOpenFor, Duration.ZERO, "circuitOpenFor");
        errorRatePercent = percent(errorRatePercent, 5, "errorRatePercent");
        errorRateMinRequests = count(errorRateMinRequests, 20, "errorRateMinRequests");
        quotaPercent = percent(quotaPercent, 90, "quotaPercent");
        p99Threshold = duration(p99Threshold, Duration.ofSeconds(30), "p99Threshold");
        p99ThresholdByRoute = p99ThresholdByRoute == null ? Map.of() : Map.copyOf(p99ThresholdByRoute);
        p99ThresholdByRoute.forEach((r, d) -> duration(d, d, "p99ThresholdByRoute." + r));
        latencyMinRequests = count(latencyMinRequests, 20, "latencyMinRequests");
        latencySustain = duration(latencySustain, Duration.ofSeconds(60), "latencySustain");
        redisUnreachableFor = duration(redisUnreachableFor, Duration.ofSeconds(5), "redisUnreachableFor");
        diskFreePercent = percent(diskFreePercent, 5, "diskFreePercent");
        resolveAfter = duration(resolveAfter, Duration.ofSeconds(30), "resolveAfter");
        disabledRules = disabledRules == null ? Set.of()
                : disabledRules.stream().map(r -> AlertRule.parse(r).id()).collect(Collectors.toUnmodifiableSet());
    }

    public static AlertRulesConfig defaults() {
        return new AlertRulesConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    boolean ruleOn(AlertRule rule) {
        return enabled && !disabledRules.contains(rule.id());
    }

    Duration p99ThresholdFor(String route) {
        return p99ThresholdByRoute.getOrDefault(route, p99Threshold);
    }

    private static double percent(Double v, double dflt, String field) {
        double d = v == null ? dflt : v;
        if (!(d > 0 && d <= 100)) {
            throw new IllegalArgumentException(field + " must be in (0, 100]");
        }
        return d;
    }

    private static long count(Long v, long dflt, String field) {
        long n = v == null ? dflt : v;
        if (n < 0) {
            throw new IllegalArgumentException(field + " must be >= 0");
        }
        return n;
    }

    private static Duration duration(Duration v, Duration dflt, String field) {
        Duration d = v == null ? dflt : v;
        if (d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(field + " must be between 0 and 1 day");
        }
        return d;
    }
}
