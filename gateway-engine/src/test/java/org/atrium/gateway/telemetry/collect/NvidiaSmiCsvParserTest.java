package org.atrium.gateway.telemetry.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.atrium.gateway.telemetry.Samples;
import org.atrium.model.GpuSample;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvParserTest {

    @Test
    void parsesRealQueryOutputWithUnavailableValuesAsNull() throws Exception {
        List<GpuSample> gpus = NvidiaSmiCsvParser.parse(Samples.read("nvidia-smi.csv"), "ward-3", "nvidia-smi");

        assertThat(gpus).hasSize(4);
        assertThat(gpus.get(0)).isEqualTo(new GpuSample("ward-3", 0, "NVIDIA A100-SXM4-80GB", 97.0, 78204.0, 81920.0,
                61.0, 312.45, "nvidia-smi", false));
        assertThat(gpus.get(2).name()).isEqualTo("NVIDIA GeForce RTX 4090");
        assertThat(gpus.get(2).powerW()).isNull();
        assertThat(gpus.get(3).utilPercent()).isNull();
        assertThat(gpus.get(3).memoryUsedMiB()).isEqualTo(1024.0);
    }

    @Test
    void toleratesCommaInNameUnitsAndCrLf() throws Exception {
        String csv = "0, Weird, Inc. GPU, GPU-aaaa, 5 %, 100 MiB, 200 MiB, 40, 70.5 W\r\n"
                + "1, Tesla V100, GPU-bbbb, [Unknown Error], N/A, 16384, [N/A], [Not Supported]\r\n";
        List<GpuSample> gpus = NvidiaSmiCsvParser.parse(csv, "n", "nvidia-smi");

        assertThat(gpus.get(0).name()).isEqualTo("Weird, Inc. GPU");
        assertThat(gpus.get(0).utilPercent()).isEqualTo(5.0);
        assertThat(gpus.get(0).memoryTotalMiB()).isEqualTo(200.0);
        assertThat(gpus.get(0).powerW()).isEqualTo(70.5);
        assertThat(gpus.get(1).utilPercent()).isNull();
        assertThat(gpus.get(1).memoryUsedMiB()).isNull();
        assertThat(gpus.get(1).temperatureC()).isNull();
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> NvidiaSmiCsvParser.parse(
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", "n", "s"))
                .isInstanceOf(MetricsParseException.class);
        assertThatThrownBy(() -> NvidiaSmiCsvParser.parse("x, A100, GPU-1, 1, 2, 3, 4, 5", "n", "s"))
                .isInstanceOf(MetricsParseException.class).hasMessageContaining("index");
        assertThatThrownBy(() -> NvidiaSmiCsvParser.parse("0, A100, GPU-1, lots, 2, 3, 4, 5", "n", "s"))
                .isInstanceOf(MetricsParseException.class).hasMessageContaining("lots");
    }

    @Test
    void emptyOutputMeansNoGpus() throws Exception {
        assertThat(NvidiaSmiCsvParser.parse("\n", "n", "s")).isEmpty();
    }
}
