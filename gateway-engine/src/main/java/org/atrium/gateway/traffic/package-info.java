/**
 * Traffic control on the data path: rate limits (Bucket4j buckets behind {@link
 * org.atrium.gateway.traffic.BucketProvider}), concurrency limits, daily quotas (behind {@link
 * org.atrium.gateway.traffic.QuotaCounter}), weighted fair-share admission to backend pools, per-backend
 * circuit breakers, active health checks and the per-tenant response cache. {@link
 * org.atrium.gateway.traffic.TrafficControl} builds them from the configuration; the pipeline stages
 * that use them live in {@code org.atrium.gateway.pipeline}. The local implementations here serve the
 * embedded (one-node) mode; cluster mode swaps in Redis-backed providers through the same interfaces.
 */
package org.atrium.gateway.traffic;
