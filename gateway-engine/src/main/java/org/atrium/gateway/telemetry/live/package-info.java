/**
 * Rolling per-tenant, per-route and per-backend traffic stats for the live feed: the request path
 * calls {@link org.atrium.gateway.telemetry.live.LiveStats#record} on completion; once a second the
 * feed reads {@code TenantLive}/{@code BackendLive} rows and keeps the last ten minutes of frames in
 * {@link org.atrium.gateway.telemetry.live.LiveHistory}. Memory is bounded: fixed rings of one-second
 * slots, a fixed-bucket latency histogram, capped key counts, idle keys forgotten.
 */
package org.atrium.gateway.telemetry.live;
