package org.atrium.gateway.telemetry.collect;

import java.time.Duration;

/**
 * Local {@code nvidia-smi} collector.
 *
 * @param enabled    default true; the collector also switches itself off when the binary is absent
 * @param executable default {@code nvidia-smi}, looked up on {@code PATH}; or an absolute path
 * @param interval   poll period, default 5 s (0.1 s to 10 min)
 * @param timeout    a run that takes longer is killed (with its children), default 3 s
 * @param node       node name shown for these GPUs; default the host name
 */
public record NvidiaSmiConfig(Boolean enabled, String executable, Duration interval, Duration timeout, String node) {
    public NvidiaSmiConfig {
        enabled = enabled == null || enabled;
        executable = executable == null || executable.isBlank() ? "nvidia-smi" : executable.strip();
        if (executable.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("executable must not contain control characters");
        }
        interval = Durations.orDefault(interval, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10), "interval");
        timeout = Durations.orDefault(timeout, Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMinutes(1), "timeout");
        node = node == null || node.isBlank() ? null : node.strip();
    }

    public static NvidiaSmiConfig defaults() {
        return new NvidiaSmiConfig(null, null, null, null, null);
    }
}
