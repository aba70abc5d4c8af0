package org.atrium.gateway.telemetry.alert;

import java.util.Objects;
import org.atrium.model.AlertInfo;

/** A change of one alert, as listeners (live feed, webhooks, log) receive it. */
public record AlertEvent(Type type, AlertInfo alert) {
    public enum Type {
        FIRED, RESOLVED, ACKNOWLEDGED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AlertEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(alert, "alert");
    }
}
