package org.atrium.console.view.tenants;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;
import org.atrium.model.ValidationException;

/**
 * The tenant dialog's fields as typed text. {@link #check} gives the inline message for one field;
 * {@link #toSpec} builds the record (whose own validation is the last word).
 */
public final class TenantForm {
    public enum Field { ID, NAME, WEIGHT, RPM, BURST, USER_RPM, MAX_CONCURRENT, DAILY_REQUESTS, DAILY_TOKENS }

    private TenantForm() {
    }

    /** @return a problem key ({@code validation.*}) for the text, empty if fine */
    public static Optional<String> check(Field f, String text) {
        String s = text == null ? "" : text.strip();
        return switch (f) {
            case ID -> TenantSpec.ID.matcher(s).matches() ? Optional.empty() : Optional.of("validation.tenantId");
            case NAME -> s.length() <= 200 ? Optional.empty() : Optional.of("validation.tooLong");
            case WEIGHT -> range(s, 1, 1000, false);
            case RPM, BURST, USER_RPM, MAX_CONCURRENT -> range(s, 0, 10_000_000, true);
            case DAILY_REQUESTS, DAILY_TOKENS -> range(s, 0, Long.MAX_VALUE / 2, true);
        };
    }

    private static Optional<String> range(String s, long min, long max, boolean blankOk) {
        if (s.isEmpty()) {
            return blankOk ? Optional.empty() : Optional.of("validation.required");
        }
        try {
            long v = Long.parseLong(s);
            return v >= min && v <= max ? Optional.empty() : Optional.of("validation.range");
        } catch (NumberFormatException e) {
            return Optional.of("validation.number");
        }
    }

    public static TenantSpec toSpec(String id, String name, boolean enabled, String weight, Priority priority,
                                    String rpm, String burst, String userRpm, String maxConcurrent,
                                    String dailyRequests, String dailyTokens, String allowedRoutes) {
        return new TenantSpec(id == null ? null : id.strip(), name, enabled, integer(weight, "weight"), priority,
                integer(rpm, "requestsPerMinute"), integer(burst, "burst"), integer(userRpm, "userRequestsPerMinute"),
                null, integer(maxConcurrent, "maxConcurrent"), null, longer(dailyRequests, "dailyRequestQuota"),
                longer(dailyTokens, "dailyTokenQuota"), routes(allowedRoutes));
    }

    static List<String> routes(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static Integer integer(String s, String field) {
        Long v = longer(s, field);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            throw new ValidationException(field, "is too large");
        }
        return v == null ? null : v.intValue();
    }

    private static Long longer(String s, String field) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a whole number");
        }
    }

    public static String str(Number n) {
        return n == null ? "" : n.toString();
    }
}
