package org.atrium.gateway.telemetry.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.atrium.model.GpuSample;

/**
 * What the alert rules look at, built once a second by the gateway from its parts.
 *
 * @param redisReachable     null when the gateway does not use Redis
 * @param dataDirFreePercent free space of the data dir's file system, 0-100; null when unknown
 */
public record TelemetrySnapshot(Instant at, List<GpuSample> gpus, List<BackendState> backends,
                                List<TenantState> tenants, List<RouteLatency> routes, Boolean redisReachable,
                                Double dataDirFreePercent) {
    public TelemetrySnapshot {
        Objects.requireNonNull(at, "at");
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        backends = backends == null ? List.of() : List.copyOf(backends);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        routes = routes == null ? List.of() : List.copyOf(routes);
        if (dataDirFreePercent != null && !(dataDirFreePercent >= 0 && dataDirFreePercent <= 100)) {
            throw new IllegalArgumentException("dataDirFreePercent must be 0-100");
        }
    }

    /**
     * One backend of one route.
     *
     * @param circuit {@code closed}, {@code open} or {@code half_open} (case-insensitive); null if none
     */
    public record BackendState(String route, String backend, boolean up, String circuit) {
        public BackendState {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(backend, "backend");
        }
    }

    /**
     * A tenant's calls over the error-rate window (5 minutes) and its quota use today.
     *
     * @param errors           calls that failed on the server side (5xx, upstream errors)
     * @param quotaUsedPercent highest of its request/token quota use, 0-100+; null without a quota
     */
    public record TenantState(String tenant, long requests, long errors, Double quotaUsedPercent) {
        public TenantState {
            Objects.requireNonNull(tenant, "tenant");
            if (requests < 0 || errors < 0 || errors > requests) {
                throw new IllegalArgumentException("need 0 <= errors <= requests");
            }
        }
    }

    /** A route's p99 latency over a recent window and how many calls it is based on. */
    public record RouteLatency(String route, double p99Ms, long requests) {
        public RouteLatency {
            Objects.requireNonNull(route, "route");
            if (requests < 0) {
                throw new IllegalArgumentException("requests must be >= 0");
            }
        }
    }
}
