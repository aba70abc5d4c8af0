package org.atrium.gateway.telemetry.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.atrium.gateway.telemetry.alert.AlertEvent;

/**
 * Webhook delivery. Empty {@code targets} (the default) means no webhooks.
 *
 * @param maxAttempts    per event and webhook, default 6 (1 s, 2 s, 4 s, 8 s, 16 s apart)
 * @param initialBackoff default 1 s, doubled after each failure ...
 * @param maxBackoff     ... up to this, default 60 s
 * @param queueCapacity  events waiting per webhook, default 100; when full the oldest waiting one is dropped
 * @param timeout        per attempt, default 5 s
 * @param events         which event types to send, default fired and resolved
 */
public record WebhookConfig(List<WebhookTarget> targets, Integer maxAttempts, Duration initialBackoff,
                            Duration maxBackoff, Integer queueCapacity, Duration timeout, Set<AlertEvent.Type> events) {
    public WebhookConfig {
        targets = targets == null ? List.of() : List.copyOf(targets);
        maxAttempts = maxAttempts == null ? 6 : maxAttempts;
        if (maxAttempts < 1 || maxAttempts > 50) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 50");
        }
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(60) : maxBackoff;
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0
                || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff <= 1 h");
        }
        queueCapacity = queueCapacity == null ? 100 : queueCapacity;
        if (queueCapacity < 1 || queueCapacity > 10_000) {
            throw new IllegalArgumentException("queueCapacity must be between 1 and 10000");
        }
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be between 0 and 1 min");
        }
        events = events == null || events.isEmpty() ? Set.of(AlertEvent.Type.FIRED, AlertEvent.Type.RESOLVED)
                : Set.copyOf(events);
    }

    public static WebhookConfig of(List<WebhookTarget> targets) {
        return new WebhookConfig(targets, null, null, null, null, null, null);
    }
}
