package org.atrium.gateway.telemetry.collect;

import java.time.Instant;
import java.util.List;
import org.atrium.model.GpuSample;

/** The last GPUs one source reported, shown stale (never zeroed) while the source fails. */
final class GpuSource {
    private final SourceHealth health;
    private volatile List<GpuSample> last = List.of();

    GpuSource(SourceHealth health) {
        this.health = health;
    }

    void success(List<GpuSample> samples, Instant at) {
        last = List.copyOf(samples);
        health.success(at);
    }

    void failure(String reason) {
        health.failure(reason);
    }

    List<GpuSample> view(Instant now) {
        List<GpuSample> snapshot = last;
        if (!health.stale(now)) {
            return snapshot;
        }
        return snapshot.stream().map(GpuSource::asStale).toList();
    }

    SourceHealth health() {
        return health;
    }

    private static GpuSample asStale(GpuSample s) {
        return s.stale() ? s : new GpuSample(s.node(), s.index(), s.name(), s.utilPercent(), s.memoryUsedMiB(),
                s.memoryTotalMiB(), s.temperatureC(), s.powerW(), s.source(), true);
    }
}
