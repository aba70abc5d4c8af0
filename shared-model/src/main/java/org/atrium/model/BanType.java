package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a ban applies to. {@code ip} targets may be exact addresses or CIDR blocks. */
public enum BanType {
    IP, USER, TASK, TOKEN, TENANT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BanType parse(String s) {
        if (s == null || s.isBlank()) {
            throw new ValidationException("type", "is required (ip, user, task, token or tenant)");
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("type", "must be ip, user, task, token or tenant");
        }
    }
}
