package org.atrium.model;

import java.time.Instant;
import java.util.List;

/** One frame of the live feed ({@code /admin/v1/live}), sent once a second. */
public record LiveFrame(Instant at, List<GpuSample> gpus, List<TenantLive> tenants, List<BackendLive> backends,
                        List<AlertInfo> alerts) {
    public LiveFrame {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        backends = backends == null ? List.of() : List.copyOf(backends);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }
}
