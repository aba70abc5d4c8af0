package org.atrium.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.atrium.gateway.telemetry.alert.AlertEvent;
import org.atrium.gateway.telemetry.webhook.WebhookFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code telemetry:} section as an operator writes it. */
class LiveTelemetryConfigTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws Exception {
        Path f = dir.resolve("atrium.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }

    @Test
    void defaultsWithoutTheSection() {
        TelemetryConfig t = GatewayConfig.defaults().telemetry();
        assertThat(t.nvidiaSmi().enabled()).isTrue();
        assertThat(t.nvidiaSmi().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.dcgm().endpoints()).isEmpty();
        assertThat(t.alerts().gpuMemoryPercent()).isEqualTo(95.0);
        assertThat(t.webhooks().targets()).isEmpty();
        assertThat(t.live().tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.live().historyFrames()).isEqualTo(600);
        assertThat(t.live().clientQueueFrames()).isEqualTo(30);
        assertThat(t.live().authTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fullSection() throws Exception {
        TelemetryConfig t = load("""
                telemetry:
                  nvidia_smi: {executable: /usr/bin/nvidia-smi, interval: 10s, timeout: 1500ms, node: gpu-01}
                  dcgm:
                    endpoints: [http://gpu-node-02:9400/metrics]
                    interval: PT15S
                  engines: {enabled: false}
                  alerts:
                    gpu_temperature_c: 80
                    gpu_sustain: 2m
                    backend_down_for: 0
                    p99_threshold: 20s
                    p99_threshold_by_route: {chat: 45s}
                    disabled_rules: [quota]
                  webhooks:
                    targets:
                      - {url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", format: wecom}
                      - {url: "https://oapi.dingtalk.com/robot/send?access_token=x", format: dingtalk, secret: SECabc}
                    max_attempts: 3
                    events: [fired, resolved, acknowledged]
                  live: {tick: 500ms, client_queue_frames: 10}
                """).telemetry();
        assertThat(t.nvidiaSmi().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.nvidiaSmi().timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(t.nvidiaSmi().node()).isEqualTo("gpu-01");
        assertThat(t.dcgm().endpoints()).hasSize(1);
        assertThat(t.dcgm().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.engines().enabled()).isFalse();
        assertThat(t.alerts().gpuTemperatureC()).isEqualTo(80.0);
        assertThat(t.alerts().gpuSustain()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.alerts().backendDownFor()).isZero();
        assertThat(t.alerts().p99ThresholdByRoute()).containsEntry("chat", Duration.ofSeconds(45));
        assertThat(t.webhooks().targets()).extracting(w -> w.format()).containsExactly(WebhookFormat.WECOM,
                WebhookFormat.DINGTALK);
        assertThat(t.webhooks().maxAttempts()).isEqualTo(3);
        assertThat(t.webhooks().events()).isEqualTo(Set.of(AlertEvent.Type.FIRED, AlertEvent.Type.RESOLVED,
                AlertEvent.Type.ACKNOWLEDGED));
        assertThat(t.live().tick()).isEqualTo(Duration.ofMillis(500));
        assertThat(t.live().clientQueueFrames()).isEqualTo(10);
    }

    @Test
    void mistakesAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> load("telemetry:\n  alerts: {disabled_rules: [quota_near]}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown alert rule");
        assertThatThrownBy(() -> load("telemetry:\n  live: {tick: soon}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tick");
        assertThatThrownBy(() -> load("telemetry:\n  alerts: {gpu_memory_percent: 150}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gpuMemoryPercent");
        assertThatThrownBy(() -> load("telemetry:\n  webhooks: {targets: [{url: \"ftp://x/y\"}]}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http");
        assertThatThrownBy(() -> load("telemetry:\n  nvida_smi: {}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nvida_smi");
    }

    @Test
    void inferenceBalancerKeys() throws Exception {
        GatewayConfig c = load("""
                inference:
                  prefix_bytes: 16384
                  prefix_block_bytes: 2048
                  affinity_entries: 1000
                  affinity_load_factor: 2.0
                  stale_after: 2s
                  kv_cache_high_percent: 85
                telemetry:
                  engines:
                    balancer_interval: 500ms
                routes:
                  - id: chat
                    balancer: inference
                    backends: [{url: "http://10.0.0.5:8000"}]
                """);
        assertThat(c.inference().prefixBytes()).isEqualTo(16384);
        assertThat(c.inference().prefixBlockBytes()).isEqualTo(2048);
        assertThat(c.inference().affinityEntries()).isEqualTo(1000);
        assertThat(c.inference().affinityLoadFactor()).isEqualTo(2.0);
        assertThat(c.inference().staleAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.inference().kvCacheHighPercent()).isEqualTo(85.0);
        assertThat(c.telemetry().engines().balancerInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.routes().getFirst().balancer()).isEqualTo(org.atrium.model.Balancer.INFERENCE);
        assertThat(GatewayConfig.defaults().inference().prefixBytes()).isEqualTo(8192);
        assertThat(GatewayConfig.defaults().telemetry().engines().balancerInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> load("inference:\n  affinity_load_factor: 0.5\n"))
                .hasMessageContaining("at inference").hasMessageContaining("affinityLoadFactor: must be between 1 and 100");
        assertThatThrownBy(() -> load("inference:\n  prefix_block_bytes: 100000\n"))
                .hasMessageContaining("prefixBlockBytes");
    }
}
