package org.atrium.gateway.telemetry.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.atrium.gateway.telemetry.Samples;
import org.atrium.model.GpuSample;
import org.junit.jupiter.api.Test;

class EngineAndDcgmMappingTest {
    private static final Instant T = Instant.parse("2026-11-22T08:00:00Z");
    private static final EngineTarget AUTO = EngineTarget.of("chat", "http://10.0.0.7:8000", EngineKind.AUTO);

    @Test
    void dcgmSeriesBecomeOneSamplePerGpu() throws Exception {
        List<GpuSample> gpus = DcgmCollector.toSamples(PrometheusTextParser.parse(Samples.read("dcgm-exporter.txt")),
                "10.0.0.5");

        assertThat(gpus).containsExactly(
                new GpuSample("gpu-node-01", 0, "NVIDIA A100-SXM4-80GB", 97.0, 78204.0, 81920.0, 61.0, 312.456, "dcgm", false),
                new GpuSample("gpu-node-01", 1, "NVIDIA A100-SXM4-80GB", 0.0, 376.0, 81920.0, 87.0, 88.118, "dcgm", false));
    }

    @Test
    void dcgmWithoutHostnameUsesEndpointHost() throws Exception {
        String text = "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-x\",modelName=\"Tesla T4\"} 12\n"
                + "DCGM_FI_DEV_FB_USED{gpu=\"0\",UUID=\"GPU-x\",modelName=\"Tesla T4\"} 100\n";
        List<GpuSample> gpus = DcgmCollector.toSamples(PrometheusTextParser.parse(text), "10.0.0.5");

        assertThat(gpus).singleElement().satisfies(g -> {
            assertThat(g.node()).isEqualTo("10.0.0.5");
            assertThat(g.memoryTotalMiB()).as("unknown without FB_FREE, never guessed").isNull();
            assertThat(g.temperatureC()).isNull();
        });
    }

    @Test
    void vllmV1AndV0KvCacheBecomePercent() throws Exception {
        EngineStats v1 = EngineMetricsCollector.extract(PrometheusTextParser.parse(Samples.read("vllm-v1-metrics.txt")), AUTO, T);
        assertThat(v1.kind()).isEqualTo(EngineKind.VLLM);
        assertThat(v1.kvCachePercent()).isCloseTo(42.15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(v1.running()).isEqualTo(7);
        assertThat(v1.waiting()).isEqualTo(2);
        assertThat(v1.stale()).isFalse();

        EngineStats v0 = EngineMetricsCollector.extract(PrometheusTextParser.parse(Samples.read("vllm-v0-metrics.txt")), AUTO, T);
        assertThat(v0.kvCachePercent()).isEqualTo(87.5);
        assertThat(v0.running()).isEqualTo(12);
        assertThat(v0.waiting()).isZero();
    }

    @Test
    void sglangQueueRunningAndTokenPool() throws Exception {
        String text = "# TYPE sglang:num_running_reqs gauge\n"
                + "sglang:num_running_reqs{model_name=\"qwen3-8b\"} 6\n"
                + "sglang:num_queue_reqs{model_name=\"qwen3-8b\"} 4\n"
                + "sglang:token_usage{model_name=\"qwen3-8b\"} 0.73\n"
                + "sglang:gen_throughput{model_name=\"qwen3-8b\"} 812.5\n";
        EngineStats s = EngineMetricsCollector.extract(PrometheusTextParser.parse(text), AUTO, T);
        assertThat(s.kind()).isEqualTo(EngineKind.SGLANG);
        assertThat(s.running()).isEqualTo(6);
        assertThat(s.waiting()).isEqualTo(4);
        assertThat(s.kvCachePercent()).isCloseTo(73.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void tgiHasQueueAndBatchButNoKvCache() throws Exception {
        EngineStats tgi = EngineMetricsCollector.extract(PrometheusTextParser.parse(Samples.read("tgi-metrics.txt")), AUTO, T);
        assertThat(tgi.kind()).isEqualTo(EngineKind.TGI);
        assertThat(tgi.kvCachePercent()).isNull();
        assertThat(tgi.running()).isEqualTo(5);
        assertThat(tgi.waiting()).isEqualTo(3);
    }

    @Test
    void unknownEngineIsAnErrorNotZeros() {
        assertThatThrownBy(() -> EngineMetricsCollector.extract(
                PrometheusTextParser.parse("process_cpu_seconds_total 12.5\n"), AUTO, T))
                .isInstanceOf(MetricsParseException.class);
    }

    @Test
    void targetFromBackendUrl() {
        EngineTarget t = EngineTarget.of("chat", "http://10.0.0.7:8000/", EngineKind.VLLM);
        assertThat(t.metricsUrl()).hasToString("http://10.0.0.7:8000/metrics");
        assertThatThrownBy(() -> EngineTarget.of("chat", "file:///etc", EngineKind.VLLM))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
