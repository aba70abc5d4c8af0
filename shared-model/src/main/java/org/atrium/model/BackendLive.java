package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One backend of one route: health, load and (for vLLM and friends) KV-cache use and queue.
 *
 * @param sharePercent    this backend's share of the route's calls over the last seconds (null: no calls)
 * @param tokensPerSecond decode speed the gateway learned from its answers (null: not yet known)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendLive(String route, String backend, boolean up, int inFlight, double p99Ms, String circuit,
                          Double kvCachePercent, Integer running, Integer waiting, Double sharePercent,
                          Double tokensPerSecond) {
    public BackendLive(String route, String backend, boolean up, int inFlight, double p99Ms, String circuit,
                       Double kvCachePercent, Integer running, Integer waiting) {
        this(route, backend, up, inFlight, p99Ms, circuit, kvCachePercent, running, waiting, null, null);
    }
}
