package org.atrium.model;

/** Admin API body that adds a ban; {@code durationSeconds} null or 0 means until removed. */
public record BanRequest(BanType type, String target, String reason, Long durationSeconds) {
    public BanRequest {
        ValidationException.require(type != null, "type", "is required (ip, user, task, token or tenant)");
        ValidationException.require(target != null && !target.isBlank(), "target", "is required");
        ValidationException.require(durationSeconds == null || (durationSeconds >= 0 && durationSeconds <= 10L * 365 * 86_400),
                "durationSeconds", "must be between 0 and ten years");
    }
}
