import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.atrium.console.app.ViewModels;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.model.AlertInfo;
import org.atrium.model.BackendLive;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;

/**
 * Figure 9: the console's live-data path under a day of 1 Hz frames (16 GPUs, 50 tenants, 20
 * backends): every view model the live feed drives (dashboard, GPUs, live charts, routes, alerts)
 * through the real LiveHub, run headless with a direct executor. Prints heap in use after a full GC
 * every simulated hour and the CPU time per frame. The ChartFX rendering itself is not included.
 * Usage: java -cp ... ConsoleSoak FRAMES
 */
public final class ConsoleSoak {
    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 86_400;
        Executor direct = Runnable::run;
        AdminClient client = (AdminClient) Proxy.newProxyInstance(AdminClient.class.getClassLoader(),
                new Class<?>[] {AdminClient.class}, (p, m, a) -> m.getReturnType() == List.class ? List.of() : null);
        ViewModels vms = ViewModels.create(client, new Async(direct, direct), Clock.systemUTC(), "http://127.0.0.1:8081",
                Locale.ENGLISH, l -> { });
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        List<String> rows = new ArrayList<>();
        rows.add("| frames (simulated time) | heap in use after full GC, MB |");
        rows.add("|---|---|");
        rows.add("| 0 | " + heapMb() + " |");
        for (int i = 1; i <= frames; i++) {
            vms.hub().onFrame(frame(t.plusSeconds(i), i));
            if (i % 3600 == 0) {
                rows.add("| " + i + " (" + i / 3600 + " h) | " + heapMb() + " |");
            }
        }
        long cpuNs = threads.getCurrentThreadCpuTime() - cpu0;
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "RESULT frames=%d cpu_us_per_frame=%.1f heap_end_mb=%s%n", frames,
                cpuNs / 1e3 / frames, heapMb());
    }

    static String heapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%.1f", (r.totalMemory() - r.freeMemory()) / 1048576.0);
    }

    static LiveFrame frame(Instant at, int i) {
        List<GpuSample> gpus = new ArrayList<>();
        for (int g = 0; g < 16; g++) {
            double phase = (i + g * 97) / 300.0;
            gpus.add(new GpuSample("gpu-node-" + (g / 8 + 1), g % 8, "NVIDIA A100 80GB", 50 + 45 * Math.sin(phase),
                    40_000 + 30_000 * Math.cos(phase), 81_920.0, 60 + 15 * Math.sin(phase), 250 + 100 * Math.cos(phase),
                    "dcgm", false));
        }
        List<TenantLive> tenants = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            double v = Math.abs(Math.sin((i + k * 13) / 120.0));
            tenants.add(new TenantLive("dept-" + k, 5 * v, 400 * v, 800 + 200 * v, 3000 + 1000 * v, i % 97 == k ? 1 : 0,
                    (int) (4 * v), (int) (2 * v), 30 + 60 * v));
        }
        List<BackendLive> backends = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            backends.add(new BackendLive("route-" + b / 2, "http://10.0.0." + (10 + b) + ":8000", b != 7 || i % 600 > 30,
                    b % 5, 2500 + b * 10, b == 7 && i % 600 <= 30 ? "open" : "closed", 40.0 + b, b % 4, b % 3));
        }
        List<AlertInfo> alerts = i % 600 <= 30
                ? List.of(new AlertInfo("backend_down:route-3", "backend_down", "critical", "route-3", "down",
                        at.minusSeconds(i % 600), null, false))
                : List.of();
        return new LiveFrame(at, gpus, tenants, backends, alerts);
    }
}
