package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A department sharing the GPUs. Limits left {@code null} fall back to the gateway's defaults;
 * {@code 0} for a quota means "no quota". {@code allowedRoutes} empty or containing {@code "*"}
 * means every route the token allows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantSpec(
        String id,
        String name,
        Boolean enabled,
        Integer weight,
        Priority priority,
        Integer requestsPerMinute,
        Integer burst,
        Integer userRequestsPerMinute,
        Integer userBurst,
        Integer maxConcurrent,
        Integer userMaxConcurrent,
        Long dailyRequestQuota,
        Long dailyTokenQuota,
        List<String> allowedRoutes) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String DEFAULT_ID = "default";

    public TenantSpec {
        ValidationException.require(id != null && ID.matcher(id).matches(), "id",
                "must be 1-64 characters of letters, digits and . _ -");
        name = name == null || name.isBlank() ? id : name.strip();
        ValidationException.require(name.length() <= 200, "name", "must be at most 200 characters");
        enabled = enabled == null || enabled;
        weight = weight == null ? 1 : weight;
        ValidationException.require(weight >= 1 && weight <= 1000, "weight", "must be between 1 and 1000");
        priority = priority == null ? Priority.NORMAL : priority;
        nonNegative(requestsPerMinute, "requestsPerMinute");
        nonNegative(burst, "burst");
        nonNegative(userRequestsPerMinute, "userRequestsPerMinute");
        nonNegative(userBurst, "userBurst");
        nonNegative(maxConcurrent, "maxConcurrent");
        nonNegative(userMaxConcurrent, "userMaxConcurrent");
        ValidationException.require(dailyRequestQuota == null || dailyRequestQuota >= 0, "dailyRequestQuota", "must be >= 0");
        ValidationException.require(dailyTokenQuota == null || dailyTokenQuota >= 0, "dailyTokenQuota", "must be >= 0");
        allowedRoutes = allowedRoutes == null ? List.of() : List.copyOf(allowedRoutes);
    }

    private static void nonNegative(Integer v, String field) {
        ValidationException.require(v == null || (v >= 0 && v <= 10_000_000), field, "must be between 0 and 10000000");
    }

    public static TenantSpec of(String id) {
        return new TenantSpec(id, null, true, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean allowsRoute(String routeId) {
        return allowedRoutes.isEmpty() || allowedRoutes.contains("*") || allowedRoutes.contains(routeId);
    }

    public TenantSpec withEnabled(boolean on) {
        return new TenantSpec(id, name, on, weight, priority, requestsPerMinute, burst, userRequestsPerMinute,
                userBurst, maxConcurrent, userMaxConcurrent, dailyRequestQuota, dailyTokenQuota, allowedRoutes);
    }
}
