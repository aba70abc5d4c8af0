/**
 * GPU and inference-engine telemetry: parsers for the Prometheus text exposition format and
 * {@code nvidia-smi} CSV, the three optional collectors (local {@code nvidia-smi}, DCGM exporter
 * endpoints, engines' own {@code /metrics}) and the {@link org.atrium.gateway.telemetry.collect.GpuTelemetry}
 * facade the live feed and the alert rules read from.
 *
 * <p>A collector that fails never zeroes its GPUs: the last values are kept and marked stale, and
 * the failure is logged once (and its recovery once), so a dead node cannot flood the log.
 */
package org.atrium.gateway.telemetry.collect;
