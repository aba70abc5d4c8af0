package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One backend of one route: health, load and (for vLLM and friends) KV-cache use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendLive(String route, String backend, boolean up, int inFlight, double p99Ms, String circuit,
                          Double kvCachePercent, Integer running, Integer waiting) {
}
