package org.atrium.gateway.telemetry.collect;

import java.time.Instant;

/**
 * An engine's own view of its load. Null numbers mean the engine does not report them (TGI has no
 * KV-cache gauge); {@code stale} means the last scrape failed and these are the last known values.
 *
 * @param kvCachePercent 0-100 (vLLM reports a 0-1 fraction; converted here)
 */
public record EngineStats(String route, String backend, EngineKind kind, Double kvCachePercent, Integer running,
                          Integer waiting, Instant at, boolean stale) {
}
