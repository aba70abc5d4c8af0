package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-tenant traffic over the last second (rates) and now (gauges). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantLive(String tenant, double requestsPerSec, double tokensPerSec, double p50Ms, double p99Ms,
                         long errors, int inFlight, int queued, Double quotaUsedPercent) {
}
