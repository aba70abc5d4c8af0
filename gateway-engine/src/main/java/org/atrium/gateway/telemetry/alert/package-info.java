/**
 * Alert rules over a once-a-second {@link org.atrium.gateway.telemetry.alert.TelemetrySnapshot}:
 * GPU memory and temperature, backend down, circuit open, tenant error rate and quota, route p99,
 * Redis reachability and data-dir disk space. Each alert fires once and resolves once (sustain
 * before firing, a clear delay and a small hysteresis before resolving), has a stable id
 * ({@code rule:subject}), can be acknowledged, and is written through an
 * {@link org.atrium.gateway.telemetry.alert.AlertStore}; {@link org.atrium.gateway.telemetry.alert.AlertListener}s
 * (the live feed, webhooks) get every fire/resolve/acknowledge.
 */
package org.atrium.gateway.telemetry.alert;
