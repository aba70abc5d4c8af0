/**
 * Prometheus metrics of the gateway: a Micrometer {@code PrometheusMeterRegistry} fed by the data
 * path ({@link org.atrium.gateway.metrics.GatewayMetrics} is an exchange listener) and by gauges
 * read at scrape time, served as Prometheus text by {@link org.atrium.gateway.metrics.MetricsService}.
 *
 * <p>Label values are bounded ({@link org.atrium.gateway.metrics.LabelBounds}): only configured
 * tenants, routes and backends get their own value, anything else is {@code other}, so a client
 * sending made-up model names or tenant claims cannot create series.
 */
package org.atrium.gateway.metrics;
