package org.atrium.gateway.telemetry.collect;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.gateway.Failures;
import org.atrium.model.GpuSample;

/** Scrapes DCGM exporter endpoints; one {@link GpuSource} per endpoint so each node goes stale alone. */
final class DcgmCollector {
    static final String SOURCE = "dcgm";
    static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
    static final String FB_RESERVED = "DCGM_FI_DEV_FB_RESERVED";
    static final String TEMP = "DCGM_FI_DEV_GPU_TEMP";
    static final String POWER = "DCGM_FI_DEV_POWER_USAGE";

    private final DcgmConfig config;
    private final Clock clock;
    private final MetricsFetcher fetcher;
    private final Map<URI, GpuSource> sources = new LinkedHashMap<>();

    DcgmCollector(DcgmConfig config, Clock clock, MetricsFetcher fetcher) {
        this.config = config;
        this.clock = clock;
        this.fetcher = fetcher;
        Duration staleAfter = config.interval().multipliedBy(2).plus(config.timeout());
        for (URI u : config.endpoints()) {
            sources.put(u, new GpuSource(new SourceHealth("DCGM exporter " + u.getHost() + ":" + u.getPort(), staleAfter)));
        }
    }

    boolean active() {
        return !sources.isEmpty();
    }

    Duration interval() {
        return config.interval();
    }

    List<URI> endpoints() {
        return List.copyOf(sources.keySet());
    }

    /** Scrapes one endpoint; never throws. */
    void poll(URI endpoint) {
        GpuSource source = sources.get(endpoint);
        try {
            String text = fetcher.get(endpoint, config.timeout());
            List<GpuSample> gpus = toSamples(PrometheusTextParser.parse(text), endpoint.getHost());
            if (gpus.isEmpty()) {
                source.failure("no DCGM_FI_DEV_* GPU metrics in the answer");
            } else {
                source.success(gpus, clock.instant());
            }
        } catch (MetricsParseException e) {
            source.failure("unreadable metrics: " + e.getMessage());
        } catch (IOException e) {
            source.failure(Failures.reason(e));
        } catch (RuntimeException e) {
            source.failure(Failures.describe(e));
        }
    }

    List<GpuSample> samples() {
        var now = clock.instant();
        List<GpuSample> out = new ArrayList<>();
        for (GpuSource s : sources.values()) {
            out.addAll(s.view(now));
        }
        return out;
    }

    SourceHealth health(URI endpoint) {
        return sources.get(endpoint).health();
    }

    /** Groups the per-GPU series by (Hostname, gpu); node falls back to the endpoint's host. */
    static List<GpuSample> toSamples(PromScrape scrape, String fallbackNode) {
        Map<String, double[]> values = new LinkedHashMap<>();
        Map<String, String[]> ids = new LinkedHashMap<>();
        String[] names = {UTIL, FB_USED, FB_FREE, FB_RESERVED, TEMP, POWER};
        for (PromSample s : scrape.samples()) {
            int slot = java.util.Arrays.asList(names).indexOf(s.name());
            if (slot < 0) {
                continue;
            }
            String gpu = s.label("gpu");
            if (gpu == null || !gpu.matches("\\d{1,4}")) {
                continue;
            }
            String host = s.label("Hostname");
            String node = host == null || host.isBlank() ? fallbackNode : host;
            String key = node + "\u0000" + gpu;
            double[] v = values.computeIfAbsent(key, k -> {
                double[] a = new double[names.length];
                java.util.Arrays.fill(a, Double.NaN);
                return a;
            });
            v[slot] = s.value();
            String model = s.label("modelName");
            ids.merge(key, new String[] {node, gpu, model}, (a, b) -> a[2] == null ? b : a);
        }
        List<GpuSample> out = new ArrayList<>();
        for (var e : values.entrySet()) {
            double[] v = e.getValue();
            String[] id = ids.get(e.getKey());
            Double used = finite(v[1]);
            Double free = finite(v[2]);
            Double reserved = finite(v[3]);
            Double total = used != null && free != null ? used + free + (reserved == null ? 0 : reserved) : null;
            out.add(new GpuSample(id[0], Integer.parseInt(id[1]), id[2], finite(v[0]), used, total, finite(v[4]),
                    finite(v[5]), SOURCE, false));
        }
        out.sort(Comparator.comparing(GpuSample::node).thenComparingInt(GpuSample::index));
        return out;
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
