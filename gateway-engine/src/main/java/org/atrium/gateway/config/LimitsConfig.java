package org.atrium.gateway.config;

import java.time.ZoneId;
import org.atrium.model.ValidationException;

/**
 * Gateway-wide default limits (tenants may override theirs). 0 means "no limit".
 *
 * @param ipRequestsPerMinute per-client-IP rate (the reference gateway used 10/min, burst 20)
 * @param ipBurst             per-client-IP burst
 * @param timezone            quotas reset at local midnight in this zone
 */
public record LimitsConfig(Integer ipRequestsPerMinute, Integer ipBurst, Integer tenantRequestsPerMinute,
                           Integer tenantBurst, Integer userRequestsPerMinute, Integer userBurst,
                           Integer tenantMaxConcurrent, Integer userMaxConcurrent, String timezone) {
    public LimitsConfig {
        ipRequestsPerMinute = nonNegative(ipRequestsPerMinute, 600, "limits.ip_requests_per_minute");
        ipBurst = nonNegative(ipBurst, 100, "limits.ip_burst");
        tenantRequestsPerMinute = nonNegative(tenantRequestsPerMinute, 0, "limits.tenant_requests_per_minute");
        tenantBurst = nonNegative(tenantBurst, 0, "limits.tenant_burst");
        userRequestsPerMinute = nonNegative(userRequestsPerMinute, 0, "limits.user_requests_per_minute");
        userBurst = nonNegative(userBurst, 0, "limits.user_burst");
        tenantMaxConcurrent = nonNegative(tenantMaxConcurrent, 0, "limits.tenant_max_concurrent");
        userMaxConcurrent = nonNegative(userMaxConcurrent, 0, "limits.user_max_concurrent");
        timezone = timezone == null || timezone.isBlank() ? ZoneId.systemDefault().getId() : timezone;
        try {
            ZoneId.of(timezone);
        } catch (RuntimeException e) {
            throw new ValidationException("limits.timezone", "unknown time zone '" + timezone + "'");
        }
    }

    private static int nonNegative(Integer v, int dflt, String field) {
        int r = v == null ? dflt : v;
        ValidationException.require(r >= 0, field, "must be >= 0");
        return r;
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null, null, null, null);
    }
}
