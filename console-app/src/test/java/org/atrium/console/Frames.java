package org.atrium.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.atrium.model.AlertInfo;
import org.atrium.model.BackendLive;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;

/** Plausible live frames: two nodes of four GPUs, three busy departments, three routes. */
public final class Frames {
    private Frames() {
    }

    public static LiveFrame at(Instant t, int i) {
        List<GpuSample> gpus = new ArrayList<>();
        for (String node : List.of("gpu-a", "gpu-b")) {
            for (int g = 0; g < 4; g++) {
                double phase = i / 10.0 + g + (node.equals("gpu-b") ? 2 : 0);
                double util = 55 + 35 * Math.sin(phase);
                gpus.add(new GpuSample(node, g, "NVIDIA A100 80GB", util, 40_000 + 30_000 * Math.abs(Math.sin(phase / 3)),
                        81_920.0, 52 + util / 4, 90 + util * 2.8, "nvidia-smi", false));
            }
        }
        List<TenantLive> tenants = List.of(
                new TenantLive("emergency", 6 + 3 * Math.sin(i / 7.0), 900 + 300 * Math.sin(i / 5.0), 420, 1800 + 200 * Math.sin(i / 9.0), 0, 5, 0, null),
                new TenantLive("radiology", 3 + 2 * Math.cos(i / 6.0), 500 + 200 * Math.cos(i / 4.0), 650, 2600, 1, 3, i % 5, 62.0),
                new TenantLive("pathology", 1 + Math.abs(Math.sin(i / 11.0)), 150, 800, 3100, 0, 1, 0, 35.0));
        List<BackendLive> backends = List.of(
                new BackendLive("qwen2.5-72b", "http://gpu-a:8000", true, 12, 2400, "closed", 71.0, 12, 2, 62.5, 41.0),
                new BackendLive("qwen2.5-72b", "http://gpu-b:8000", true, 7, 2600, "closed", 54.0, 7, 0, 37.5, null),
                new BackendLive("qwen2.5-7b", "http://gpu-c:8000", true, 3, 800, "closed", 20.0, 3, 0),
                new BackendLive("ocr", "http://10.20.0.15:9000", false, 0, 0, "open", null, null, null));
        List<AlertInfo> alerts = List.of(new AlertInfo("a1", "gpu_temperature", "warning", "gpu-a:3",
                "GPU 3 at 86 °C for 5 minutes", t.minusSeconds(300), null, false));
        return new LiveFrame(t, gpus, tenants, backends, alerts);
    }

    /**
     * A room of {@code servers} GPU servers with {@code perServer} GPUs each; the last GPU of the last
     * server is too hot (critical alert) and the first GPU of the second server nearly out of memory
     * (warning); one backend is down.
     */
    public static LiveFrame room(Instant t, int i, int servers, int perServer) {
        List<GpuSample> gpus = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            String node = "gpu-srv-" + (char) ('a' + s);
            for (int g = 0; g < perServer; g++) {
                double phase = i / 10.0 + g + s * 1.7;
                double util = 50 + 45 * Math.sin(phase);
                boolean hot = s == servers - 1 && g == perServer - 1;
                gpus.add(new GpuSample(node, g, "NVIDIA A100 80GB", util, 30_000 + 45_000 * Math.abs(Math.sin(phase / 3)),
                        81_920.0, hot ? 91.0 : 48 + util / 4, 90 + util * 2.8, "dcgm", false));
            }
        }
        String hotSubject = "gpu-srv-" + (char) ('a' + servers - 1) + ":" + (perServer - 1);
        String fullSubject = "gpu-srv-b:0";
        List<TenantLive> tenants = List.of(
                new TenantLive("emergency", 6 + 3 * Math.sin(i / 7.0), 9_500 + 300 * Math.sin(i / 5.0), 420, 1800, 0, 5, 0, null),
                new TenantLive("radiology", 3 + 2 * Math.cos(i / 6.0), 3_581, 650, 2600, 1, 3, 4, 62.0),
                new TenantLive("pathology", 1.4, 150, 800, 3100, 0, 1, 0, 35.0),
                new TenantLive("cardiology", 0.5, 80, 500, 1200, 0, 0, 0, 10.0));
        List<BackendLive> backends = List.of(
                new BackendLive("qwen2.5-72b", "http://gpu-srv-a.hospital.local:8000", true, 12, 2400, "closed", 71.0, 12, 2),
                new BackendLive("qwen2.5-72b", "http://gpu-srv-b.hospital.local:8000", true, 7, 2600, "closed", 54.0, 7, 0),
                new BackendLive("qwen2.5-7b", "http://10.20.0.14:8001", true, 3, 800, "closed", 20.0, 3, 0),
                new BackendLive("ocr", "http://10.20.0.15:9000", false, 0, 0, "open", null, null, null));
        List<AlertInfo> alerts = List.of(
                new AlertInfo("gpu_temperature:" + hotSubject, "gpu_temperature", "critical", hotSubject,
                        "GPU " + (perServer - 1) + " at 91 °C (limit 85 °C)", t.minusSeconds(120), null, false),
                new AlertInfo("gpu_memory:" + fullSubject, "gpu_memory", "warning", fullSubject,
                        "GPU 0 on gpu-srv-b memory 93.0 % used (limit 90 %)", t.minusSeconds(600), null, false),
                new AlertInfo("backend_down:ocr", "backend_down", "critical", "ocr http://10.20.0.15:9000",
                        "Backend http://10.20.0.15:9000 of route ocr is down", t.minusSeconds(900), null, true));
        return new LiveFrame(t, gpus, tenants, backends, alerts);
    }

    public static List<LiveFrame> history(Instant end, int n) {
        List<LiveFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(at(end.minusSeconds(n - 1 - i), i));
        }
        return out;
    }
}
