package org.atrium.gateway.config;

import java.time.Duration;
import org.atrium.gateway.telemetry.alert.AlertRulesConfig;
import org.atrium.gateway.telemetry.collect.CollectorsConfig;
import org.atrium.gateway.telemetry.collect.DcgmConfig;
import org.atrium.gateway.telemetry.collect.EngineMetricsConfig;
import org.atrium.gateway.telemetry.collect.NvidiaSmiConfig;
import org.atrium.gateway.telemetry.webhook.WebhookConfig;
import org.atrium.model.ValidationException;

/**
 * The {@code telemetry:} section: GPU collectors, alert rules, webhooks and the live feed. Every
 * part is optional and takes the blocks' own defaults (documented in {@code docs/telemetry.md}).
 */
public record TelemetryConfig(NvidiaSmiConfig nvidiaSmi, DcgmConfig dcgm, EngineMetricsConfig engines,
                              AlertRulesConfig alerts, WebhookConfig webhooks, LiveConfig live) {
    public TelemetryConfig {
        nvidiaSmi = nvidiaSmi == null ? NvidiaSmiConfig.defaults() : nvidiaSmi;
        dcgm = dcgm == null ? DcgmConfig.defaults() : dcgm;
        engines = engines == null ? EngineMetricsConfig.defaults() : engines;
        alerts = alerts == null ? AlertRulesConfig.defaults() : alerts;
        webhooks = webhooks == null ? new WebhookConfig(null, null, null, null, null, null, null) : webhooks;
        live = live == null ? LiveConfig.defaults() : live;
    }

    static TelemetryConfig defaults() {
        return new TelemetryConfig(null, null, null, null, null, null);
    }

    public CollectorsConfig collectors() {
        return new CollectorsConfig(nvidiaSmi, dcgm, engines);
    }

    /**
     * The live feed and the once-a-second tick that also evaluates the alert rules.
     *
     * @param tick              how often a frame is built and the rules run, default 1 s (50 ms - 60 s)
     * @param historyFrames     frames kept for history-on-connect, default 600 (ten minutes at 1 s)
     * @param clientQueueFrames frames waiting per client; a client this far behind is dropped, default 30
     * @param authTimeout       time to send {@code {"token": ...}} when the upgrade had no header, default 5 s
     * @param maxClients        concurrent live-feed clients, default 32
     */
    public record LiveConfig(Duration tick, Integer historyFrames, Integer clientQueueFrames, Duration authTimeout,
                             Integer maxClients) {
        public LiveConfig {
            tick = tick == null ? Duration.ofSeconds(1) : tick;
            ValidationException.require(tick.toMillis() >= 50 && tick.compareTo(Duration.ofSeconds(60)) <= 0,
                    "telemetry.live.tick", "must be between 50 ms and 60 s");
            historyFrames = historyFrames == null ? 600 : historyFrames;
            ValidationException.require(historyFrames >= 1 && historyFrames <= 3600, "telemetry.live.history_frames",
                    "must be between 1 and 3600");
            clientQueueFrames = clientQueueFrames == null ? 30 : clientQueueFrames;
            ValidationException.require(clientQueueFrames >= 1 && clientQueueFrames <= 1000,
                    "telemetry.live.client_queue_frames", "must be between 1 and 1000");
            authTimeout = authTimeout == null ? Duration.ofSeconds(5) : authTimeout;
            ValidationException.require(!authTimeout.isNegative() && !authTimeout.isZero()
                    && authTimeout.compareTo(Duration.ofMinutes(1)) <= 0, "telemetry.live.auth_timeout",
                    "must be between 0 and 1 min");
            maxClients = maxClients == null ? 32 : maxClients;
            ValidationException.require(maxClients >= 1 && maxClients <= 1000, "telemetry.live.max_clients",
                    "must be between 1 and 1000");
        }

        public static LiveConfig defaults() {
            return new LiveConfig(null, null, null, null, null);
        }
    }
}
