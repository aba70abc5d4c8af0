package org.atrium.gateway.telemetry.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.atrium.gateway.telemetry.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextParserTest {

    @Test
    void parsesDcgmExporterOutput() throws Exception {
        PromScrape s = PrometheusTextParser.parse(Samples.read("dcgm-exporter.txt"));

        assertThat(s.named("DCGM_FI_DEV_GPU_TEMP")).hasSize(2);
        PromSample temp1 = s.named("DCGM_FI_DEV_GPU_TEMP").get(1);
        assertThat(temp1.value()).isEqualTo(87.0);
        assertThat(temp1.labels()).containsEntry("gpu", "1")
                .containsEntry("UUID", "GPU-1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6")
                .containsEntry("modelName", "NVIDIA A100-SXM4-80GB")
                .containsEntry("Hostname", "gpu-node-01");
        assertThat(s.named("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION").get(0).value()).isEqualTo(9.41256307e+10);
        assertThat(s.named("DCGM_FI_DEV_XID_ERRORS").get(0).labels()).containsEntry("err_msg", "No Error");
        assertThat(s.types()).containsEntry("DCGM_FI_DEV_GPU_UTIL", "gauge")
                .containsEntry("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter");
        assertThat(s.help()).containsEntry("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).");
    }

    @Test
    void parsesVllmNamesWithColonsHistogramsAndNaN() throws Exception {
        PromScrape v1 = PrometheusTextParser.parse(Samples.read("vllm-v1-metrics.txt"));
        assertThat(v1.named("vllm:kv_cache_usage_perc").get(0).value()).isEqualTo(0.4215);
        assertThat(v1.named("vllm:time_to_first_token_seconds_bucket"))
                .anySatisfy(b -> assertThat(b.labels()).containsEntry("le", "+Inf"));
        assertThat(v1.types()).containsEntry("vllm:time_to_first_token_seconds", "histogram");
        assertThat(v1.named("process_resident_memory_bytes").get(0).value()).isEqualTo(4.187918336e+09);

        PromScrape v0 = PrometheusTextParser.parse(Samples.read("vllm-v0-metrics.txt"));
        assertThat(v0.named("vllm:avg_generation_throughput_toks_per_s").get(0).value()).isNaN();
        assertThat(v0.named("vllm:cache_config_info").get(0).labels()).containsEntry("sliding_window", "None");

        PromScrape tgi = PrometheusTextParser.parse(Samples.read("tgi-metrics.txt"));
        assertThat(tgi.named("tgi_queue_size").get(0).labels()).isEmpty();
        assertThat(tgi.named("tgi_batch_inference_duration").get(1).labels())
                .isEqualTo(Map.of("method", "decode", "quantile", "0.5"));
        assertThat(tgi.types()).containsEntry("tgi_batch_inference_duration", "summary");
    }

    @Test
    void handlesEscapesSpecialValuesTimestampsAndWhitespace() throws Exception {
        String text = String.join("\r\n",
                "# HELP http_requests_total Requests\\nper \\\\ code.",
                "# A plain comment that is ignored",
                "#TYPE http_requests_total counter",
                "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000",
                "http_requests_total{ method = \"post\" , code=\"400\", }\t3   1395066363000  ",
                "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9",
                "metric_without_timestamp_and_labels 12.47",
                "empty_labels{} -0.5",
                "something_weird{problem=\"division by zero\"} +Inf -3982045",
                "neg_inf -Inf",
                "not_a_number NaN",
                "small 1e-3",
                "dot .5",
                "",
                "# EOF");
        PromScrape s = PrometheusTextParser.parse(text);

        assertThat(s.help()).containsEntry("http_requests_total", "Requests\nper \\ code.");
        assertThat(s.types()).containsEntry("http_requests_total", "counter");
        PromSample second = s.named("http_requests_total").get(1);
        assertThat(second.labels()).isEqualTo(Map.of("method", "post", "code", "400"));
        assertThat(second.value()).isEqualTo(3.0);
        assertThat(second.timestampMs()).isEqualTo(1395066363000L);
        PromSample dos = s.named("msdos_file_access_time_seconds").get(0);
        assertThat(dos.label("path")).isEqualTo("C:\\DIR\\FILE.TXT");
        assertThat(dos.label("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
        assertThat(s.named("metric_without_timestamp_and_labels").get(0).timestampMs()).isNull();
        assertThat(s.named("empty_labels").get(0).value()).isEqualTo(-0.5);
        assertThat(s.named("something_weird").get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.named("something_weird").get(0).timestampMs()).isEqualTo(-3982045L);
        assertThat(s.named("neg_inf").get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.named("not_a_number").get(0).value()).isNaN();
        assertThat(s.named("small").get(0).value()).isEqualTo(0.001);
        assertThat(s.named("dot").get(0).value()).isEqualTo(0.5);
        assertThat(s.samples()).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<html><body>502 Bad Gateway</body></html>",
            "foo{a=\"b} 1",
            "foo{a=\"b\"} 1f",
            "foo 0x1A",
            "foo{a=\"\\q\"} 1",
            "foo{a=\"1\",a=\"2\"} 1",
            "foo",
            "foo{a=\"b\"}",
            "foo 1 soon",
            "foo 1 2 3",
            "1foo 1",
            "foo{1a=\"x\"} 1",
            "foo{a=\"b\"}1",
            "# TYPE foo bogus",
            "{\"error\": \"json instead\"}"
    })
    void rejectsGarbage(String line) {
        assertThatThrownBy(() -> PrometheusTextParser.parse("ok_metric 1\n" + line + "\n"))
                .isInstanceOf(MetricsParseException.class)
                .satisfies(e -> assertThat(((MetricsParseException) e).line()).isEqualTo(2));
    }

    @Test
    void emptyInputHasNoSamples() throws Exception {
        assertThat(PrometheusTextParser.parse("").samples()).isEmpty();
        assertThat(PrometheusTextParser.parse("\n\n# only comments\n").samples()).isEmpty();
    }
}
