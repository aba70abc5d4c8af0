package org.atrium.gateway.config;

import java.time.ZoneId;
import org.atrium.model.ValidationException;

/**
 * Traffic-control settings: gateway-wide default limits (a tenant's own values win), quotas,
 * bounds of the limiter and cache memory, health checks and circuit breakers. 0 means "no limit"
 * for rates, concurrency and quotas. Defaults suit a hospital LAN and are listed in docs/traffic.md.
 *
 * @param ipRequestsPerMinute per-client-IP rate, checked before the token (the reference gateway used 10/min, burst 20)
 * @param ipBurst             per-client-IP burst
 * @param timezone            quotas reset at local midnight in this zone
 * @param maxTrackedClients   most per-IP / per-user / per-tenant buckets kept in memory
 * @param trackedIdleSeconds  a bucket unused this long is dropped
 */
public record LimitsConfig(Integer ipRequestsPerMinute, Integer ipBurst, Integer tenantRequestsPerMinute,
                           Integer tenantBurst, Integer userRequestsPerMinute, Integer userBurst,
                           Integer tenantMaxConcurrent, Integer userMaxConcurrent, String timezone,
                           Long tenantDailyRequestQuota, Long tenantDailyTokenQuota,
                           Integer maxTrackedClients, Integer trackedIdleSeconds,
                           Long cacheMaxBytes, Integer cacheMaxEntryBytes,
                           Integer healthCheckIntervalSeconds, Integer healthCheckTimeoutSeconds,
                           Integer passiveFailureThreshold, Integer ejectionSeconds, Integer maxEjectionSeconds,
                           Integer circuitVolume, Integer circuitErrorRatio, Integer circuitOpenSeconds) {
    public LimitsConfig {
        ipRequestsPerMinute = nonNegative(ipRequestsPerMinute, 600, "limits.ip_requests_per_minute");
        ipBurst = nonNegative(ipBurst, 100, "limits.ip_burst");
        tenantRequestsPerMinute = nonNegative(tenantRequestsPerMinute, 0, "limits.tenant_requests_per_minute");
        tenantBurst = nonNegative(tenantBurst, 0, "limits.tenant_burst");
        userRequestsPerMinute = nonNegative(userRequestsPerMinute, 300, "limits.user_requests_per_minute");
        userBurst = nonNegative(userBurst, 60, "limits.user_burst");
        tenantMaxConcurrent = nonNegative(tenantMaxConcurrent, 0, "limits.tenant_max_concurrent");
        userMaxConcurrent = nonNegative(userMaxConcurrent, 32, "limits.user_max_concurrent");
        timezone = timezone == null || timezone.isBlank() ? ZoneId.systemDefault().getId() : timezone;
        try {
            ZoneId.of(timezone);
        } catch (RuntimeException e) {
            throw new ValidationException("limits.timezone", "unknown time zone '" + timezone + "'");
        }
        tenantDailyRequestQuota = nonNegative(tenantDailyRequestQuota, 0L, "limits.tenant_daily_request_quota");
        tenantDailyTokenQuota = nonNegative(tenantDailyTokenQuota, 0L, "limits.tenant_daily_token_quota");
        maxTrackedClients = range(maxTrackedClients, 100_000, 100, 10_000_000, "limits.max_tracked_clients");
        trackedIdleSeconds = range(trackedIdleSeconds, 600, 1, 86_400, "limits.tracked_idle_seconds");
        cacheMaxBytes = nonNegative(cacheMaxBytes, 256L * 1024 * 1024, "limits.cache_max_bytes");
        cacheMaxEntryBytes = range(cacheMaxEntryBytes, 1024 * 1024, 1, 64 * 1024 * 1024, "limits.cache_max_entry_bytes");
        healthCheckIntervalSeconds = range(healthCheckIntervalSeconds, 10, 0, 3600, "limits.health_check_interval_seconds");
        healthCheckTimeoutSeconds = range(healthCheckTimeoutSeconds, 2, 1, 60, "limits.health_check_timeout_seconds");
        passiveFailureThreshold = range(passiveFailureThreshold, 3, 1, 1000, "limits.passive_failure_threshold");
        ejectionSeconds = range(ejectionSeconds, 10, 1, 3600, "limits.ejection_seconds");
        maxEjectionSeconds = range(maxEjectionSeconds, 300, 1, 86_400, "limits.max_ejection_seconds");
        ValidationException.require(maxEjectionSeconds >= ejectionSeconds, "limits.max_ejection_seconds",
                "must be >= limits.ejection_seconds");
        circuitVolume = range(circuitVolume, 20, 1, 10_000, "limits.circuit_volume");
        circuitErrorRatio = range(circuitErrorRatio, 50, 1, 100, "limits.circuit_error_ratio");
        circuitOpenSeconds = range(circuitOpenSeconds, 10, 1, 3600, "limits.circuit_open_seconds");
    }

    private static int nonNegative(Integer v, int dflt, String field) {
        int r = v == null ? dflt : v;
        ValidationException.require(r >= 0, field, "must be >= 0");
        return r;
    }

    private static long nonNegative(Long v, long dflt, String field) {
        long r = v == null ? dflt : v;
        ValidationException.require(r >= 0, field, "must be >= 0");
        return r;
    }

    private static int range(Integer v, int dflt, int min, int max, String field) {
        int r = v == null ? dflt : v;
        ValidationException.require(r >= min && r <= max, field, "must be between " + min + " and " + max);
        return r;
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }
}
