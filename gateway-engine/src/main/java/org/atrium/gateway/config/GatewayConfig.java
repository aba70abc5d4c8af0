package org.atrium.gateway.config;

import java.util.List;
import org.atrium.gateway.route.InferenceSettings;
import org.atrium.model.RouteSpec;
import org.atrium.model.ValidationException;

/**
 * The whole configuration file. Every section is optional; a missing file means all defaults.
 * Keys are snake_case in YAML ({@code server.max_body_bytes}); defaults are documented in the README.
 * {@code inference:} tunes {@code balancer: inference} (docs/traffic.md).
 */
public record GatewayConfig(ServerConfig server, AdminConfig admin, JwtConfig jwt, StateConfig state,
                            LimitsConfig limits, AccessLogConfig accessLog, List<RouteSpec> routes,
                            TelemetryConfig telemetry, InferenceSettings inference) {
    public GatewayConfig {
        server = server == null ? ServerConfig.defaults() : server;
        admin = admin == null ? AdminConfig.defaults() : admin;
        jwt = jwt == null ? JwtConfig.defaults() : jwt;
        state = state == null ? StateConfig.defaults() : state;
        limits = limits == null ? LimitsConfig.defaults() : limits;
        accessLog = accessLog == null ? AccessLogConfig.defaults() : accessLog;
        routes = routes == null ? List.of() : List.copyOf(routes);
        telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
        inference = inference == null ? InferenceSettings.DEFAULTS : inference;
        long distinct = routes.stream().map(RouteSpec::id).distinct().count();
        ValidationException.require(distinct == routes.size(), "routes", "route ids must be unique");
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null, null, null);
    }

    public GatewayConfig withRoutes(List<RouteSpec> newRoutes) {
        return new GatewayConfig(server, admin, jwt, state, limits, accessLog, newRoutes, telemetry, inference);
    }

    public GatewayConfig withPorts(int dataPort, int adminPort) {
        return new GatewayConfig(server.withPort(dataPort), admin.withPort(adminPort), jwt, state, limits, accessLog, routes,
                telemetry, inference);
    }
}
