package org.atrium.gateway.telemetry.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.atrium.gateway.telemetry.MutableClock;
import org.atrium.gateway.telemetry.Samples;
import org.atrium.gateway.telemetry.StubHttpServer;
import org.atrium.gateway.telemetry.StubHttpServer.Answer;
import org.atrium.model.GpuSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuTelemetryTest {
    private final MutableClock clock = MutableClock.at("2026-11-22T08:00:00Z");
    private final StubHttpServer stub = new StubHttpServer();
    private GpuTelemetry telemetry;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (telemetry != null) {
            telemetry.close();
        }
        stub.close();
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private Path fakeSmi(String csvResource) throws IOException {
        Path csv = dir.resolve("out.csv");
        Files.writeString(csv, Samples.read(csvResource));
        // Checks the arguments the real binary needs, then prints the canned CSV.
        return script("nvidia-smi", """
                case "$1" in --query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw) ;; *) exit 2;; esac
                [ "$2" = "--format=csv,noheader,nounits" ] || exit 2
                cat '%s'""".formatted(csv));
    }

    private GpuTelemetry localOnly(Path smi, Duration timeout) {
        return new GpuTelemetry(new CollectorsConfig(
                new NvidiaSmiConfig(true, smi.toString(), Duration.ofSeconds(5), timeout, "ward-3"), null,
                new EngineMetricsConfig(false, null, null)), clock);
    }

    @Test
    void localNvidiaSmiIsParsed() throws Exception {
        telemetry = localOnly(fakeSmi("nvidia-smi.csv"), Duration.ofSeconds(5));
        telemetry.pollAll();

        List<GpuSample> gpus = telemetry.gpus();
        assertThat(gpus).hasSize(4).allSatisfy(g -> {
            assertThat(g.node()).isEqualTo("ward-3");
            assertThat(g.source()).isEqualTo("nvidia-smi");
            assertThat(g.stale()).isFalse();
        });
        assertThat(gpus.get(0).memoryUsedMiB()).isEqualTo(78204.0);
    }

    @Test
    void failingNvidiaSmiKeepsLastValuesMarkedStale() throws Exception {
        Path smi = fakeSmi("nvidia-smi.csv");
        telemetry = localOnly(smi, Duration.ofSeconds(5));
        telemetry.pollAll();
        List<GpuSample> before = telemetry.gpus();

        script("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9");
        telemetry.pollAll();

        List<GpuSample> after = telemetry.gpus();
        assertThat(after).hasSize(4).allSatisfy(g -> assertThat(g.stale()).isTrue());
        assertThat(after.get(0).memoryUsedMiB()).isEqualTo(before.get(0).memoryUsedMiB());
        assertThat(after.get(0).utilPercent()).isEqualTo(97.0);
        assertThat(telemetry.nvidiaSmi().health().lastError()).contains("exit code 9");

        fakeSmi("nvidia-smi.csv");
        telemetry.pollAll();
        assertThat(telemetry.gpus()).allSatisfy(g -> assertThat(g.stale()).isFalse());
    }

    @Test
    void garbageOutputMarksStaleInsteadOfThrowing() throws Exception {
        telemetry = localOnly(fakeSmi("nvidia-smi.csv"), Duration.ofSeconds(5));
        telemetry.pollAll();
        script("nvidia-smi", "echo '<<binary junk>>'; printf '\\001\\002\\003'");
        telemetry.pollAll();

        assertThat(telemetry.gpus()).hasSize(4).allSatisfy(g -> assertThat(g.stale()).isTrue());
        assertThat(telemetry.nvidiaSmi().health().lastError()).startsWith("unreadable output");
    }

    @Test
    void hungNvidiaSmiIsKilledAfterTheTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path smi = script("nvidia-smi", "sleep 30 &\necho $! > '" + pidFile + "'\nwait");
        telemetry = localOnly(smi, Duration.ofMillis(300));

        long start = System.nanoTime();
        telemetry.pollAll();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).isLessThan(5_000);
        assertThat(telemetry.nvidiaSmi().health().lastError()).contains("killed");
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        // The grandchild (sleep) must not be left behind holding the pipe.
        boolean gone = ProcessHandle.of(childPid).map(h -> h.onExit().thenApply(x -> true)
                .completeOnTimeout(false, 3, java.util.concurrent.TimeUnit.SECONDS).join()).orElse(true);
        assertThat(gone).isTrue();
    }

    @Test
    void absentBinaryTurnsTheCollectorOff() {
        telemetry = localOnly(dir.resolve("no-such-nvidia-smi"), Duration.ofSeconds(1));
        telemetry.pollAll();

        assertThat(telemetry.localCollectorActive()).isFalse();
        assertThat(telemetry.gpus()).isEmpty();
    }

    @Test
    void samplesGoStaleWhenPollingStopsSucceeding() throws Exception {
        telemetry = localOnly(fakeSmi("nvidia-smi.csv"), Duration.ofSeconds(3));
        telemetry.pollAll();
        clock.advanceSeconds(12);
        assertThat(telemetry.gpus()).allSatisfy(g -> assertThat(g.stale()).isFalse());
        clock.advanceSeconds(2); // > 2 x interval + timeout (13 s) without a fresh answer (e.g. a poll is stuck)

        assertThat(telemetry.gpus()).allSatisfy(g -> assertThat(g.stale()).isTrue());
    }

    @Test
    void dcgmEndpointsAreScrapedAndFailEachOnItsOwn() {
        stub.answer("/node1", Answer.ok(Samples.read("dcgm-exporter.txt")));
        stub.answer("/node2", Answer.ok("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",modelName=\"Tesla T4\"} 55\n"
                + "DCGM_FI_DEV_FB_USED{gpu=\"0\"} 1000\nDCGM_FI_DEV_FB_FREE{gpu=\"0\"} 14000\n"));
        URI n1 = stub.uri("/node1");
        URI n2 = stub.uri("/node2");
        telemetry = new GpuTelemetry(new CollectorsConfig(new NvidiaSmiConfig(false, null, null, null, null),
                new DcgmConfig(List.of(n1, n2), null, Duration.ofSeconds(2)), null), clock);
        telemetry.pollAll();

        assertThat(telemetry.gpus()).extracting(GpuSample::node, GpuSample::index, GpuSample::stale).containsExactly(
                org.assertj.core.groups.Tuple.tuple("127.0.0.1", 0, false),
                org.assertj.core.groups.Tuple.tuple("gpu-node-01", 0, false),
                org.assertj.core.groups.Tuple.tuple("gpu-node-01", 1, false));
        assertThat(telemetry.gpus().get(0).memoryTotalMiB()).isEqualTo(15000.0);
        assertThat(stub.received()).allSatisfy(r -> assertThat(r.headers().get("Accept").get(0)).startsWith("text/plain"));

        stub.answer("/node1", Answer.status(500));
        telemetry.pollAll();
        assertThat(telemetry.gpus()).extracting(GpuSample::node, GpuSample::stale).containsExactly(
                org.assertj.core.groups.Tuple.tuple("127.0.0.1", false),
                org.assertj.core.groups.Tuple.tuple("gpu-node-01", true),
                org.assertj.core.groups.Tuple.tuple("gpu-node-01", true));
        assertThat(telemetry.gpus().get(2).temperatureC()).isEqualTo(87.0);
        assertThat(telemetry.dcgm().health(n1).lastError()).isEqualTo("HTTP 500");

        stub.answer("/node1", Answer.ok("<html>oops</html>"));
        telemetry.pollAll();
        assertThat(telemetry.dcgm().health(n1).lastError()).startsWith("unreadable metrics");

        stub.answer("/node1", Answer.ok("# no gpus here\nup 1\n"));
        telemetry.pollAll();
        assertThat(telemetry.dcgm().health(n1).lastError()).contains("no DCGM");
        assertThat(telemetry.gpus()).hasSize(3);
    }

    @Test
    void slowEndpointTimesOutQuickly() {
        stub.answer("/slow", new Answer(200, Samples.read("dcgm-exporter.txt"), 3_000));
        URI slow = stub.uri("/slow");
        telemetry = new GpuTelemetry(new CollectorsConfig(new NvidiaSmiConfig(false, null, null, null, null),
                new DcgmConfig(List.of(slow), null, Duration.ofMillis(300)), null), clock);

        long start = System.nanoTime();
        telemetry.pollAll();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        assertThat(telemetry.dcgm().health(slow).failing()).isTrue();
        assertThat(telemetry.gpus()).isEmpty();
    }

    @Test
    void engineStatsPerBackendGoStaleAndFollowTheRoutes() {
        stub.answer("/vllm/metrics", Answer.ok(Samples.read("vllm-v1-metrics.txt")));
        stub.answer("/tgi/metrics", Answer.ok(Samples.read("tgi-metrics.txt")));
        telemetry = new GpuTelemetry(new CollectorsConfig(new NvidiaSmiConfig(false, null, null, null, null), null,
                new EngineMetricsConfig(true, null, Duration.ofSeconds(2))), clock);
        String vllm = stub.uri("/vllm").toString();
        String tgi = stub.uri("/tgi").toString();
        telemetry.engineTargets(List.of(
                EngineTarget.of("chat", vllm, EngineKind.AUTO),
                EngineTarget.of("summarize", tgi, EngineKind.TGI),
                EngineTarget.of("local-llama", "http://127.0.0.1:11434", EngineKind.NONE)));
        telemetry.pollAll();

        assertThat(telemetry.engineStats("chat", vllm)).hasValueSatisfying(s -> {
            assertThat(s.running()).isEqualTo(7);
            assertThat(s.stale()).isFalse();
        });
        assertThat(telemetry.engineStats("summarize", tgi)).hasValueSatisfying(s -> assertThat(s.waiting()).isEqualTo(3));
        assertThat(telemetry.engineStats("local-llama", "http://127.0.0.1:11434")).isEmpty();

        stub.answer("/vllm/metrics", Answer.status(503));
        telemetry.pollAll();
        assertThat(telemetry.engineStats("chat", vllm)).hasValueSatisfying(s -> {
            assertThat(s.stale()).isTrue();
            assertThat(s.kvCachePercent()).isGreaterThan(42.0);
        });

        telemetry.engineTargets(List.of(EngineTarget.of("summarize", tgi, EngineKind.TGI)));
        assertThat(telemetry.engineStats()).extracting(EngineStats::route).containsExactly("summarize");
    }

    @Test
    void inferenceRoutesAreScrapedOnTheFastScheduleAndFeedTheListener() {
        stub.answer("/vllm/metrics", Answer.ok(Samples.read("vllm-v1-metrics.txt")));
        telemetry = new GpuTelemetry(new CollectorsConfig(new NvidiaSmiConfig(false, null, null, null, null), null,
                new EngineMetricsConfig(true, null, Duration.ofSeconds(2), Duration.ofMillis(500))), clock);
        String vllm = stub.uri("/vllm").toString();
        List<EngineStats> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        telemetry.onEngineStats(seen::add);
        telemetry.engineTargets(List.of(EngineTarget.of("chat", vllm, EngineKind.AUTO, true),
                EngineTarget.of("batch", vllm, EngineKind.AUTO, false)));
        assertThat(telemetry.engines().balancerInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(telemetry.engines().targetKeys(true)).singleElement().satisfies(k -> assertThat(k).startsWith("chat"));
        assertThat(telemetry.engines().targetKeys(false)).singleElement().satisfies(k -> assertThat(k).startsWith("batch"));
        telemetry.pollAll();
        assertThat(seen).extracting(EngineStats::route).containsExactlyInAnyOrder("chat", "batch");
        assertThat(seen).allSatisfy(s -> assertThat(s.waiting()).isEqualTo(2));

        stub.answer("/vllm/metrics", Answer.status(503));
        telemetry.pollAll();
        assertThat(seen).as("a failed scrape tells the balancer nothing; its last sample ages into staleness").hasSize(2);
    }

    @Test
    void startPollsOnTheScheduler() throws Exception {
        Path smi = fakeSmi("nvidia-smi.csv");
        telemetry = new GpuTelemetry(new CollectorsConfig(
                new NvidiaSmiConfig(true, smi.toString(), Duration.ofMillis(200), Duration.ofSeconds(2), "n"), null, null),
                clock);
        telemetry.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (telemetry.gpus().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(telemetry.gpus()).hasSize(4);
    }
}
