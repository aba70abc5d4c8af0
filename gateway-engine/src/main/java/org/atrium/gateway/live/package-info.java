/**
 * The telemetry wired into the running gateway: {@link org.atrium.gateway.live.TelemetryHub} runs
 * the once-a-second tick (alert rules over a snapshot of the gateway, then a live frame), the
 * {@link org.atrium.gateway.live.LiveFeed} fans frames out to WebSocket clients of
 * {@code /admin/v1/live} ({@link org.atrium.gateway.live.LiveFeedEndpoint}: auth, origin check),
 * each through its own bounded queue, and alerts are kept in the state store
 * ({@link org.atrium.gateway.live.StoredAlerts}) and offered to the admin API
 * ({@link org.atrium.gateway.live.LiveAlertsSource}).
 */
package org.atrium.gateway.live;
