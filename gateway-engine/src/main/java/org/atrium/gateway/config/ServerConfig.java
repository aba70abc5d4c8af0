package org.atrium.gateway.config;

import java.util.List;
import org.atrium.model.ValidationException;

/**
 * The data listener. Helidon leaves several of these unbounded by default, so each has an explicit,
 * documented default here.
 *
 * @param maxBodyBytes        largest request body (413 {@code PAYLOAD_TOO_LARGE})
 * @param maxHeaderBytes      largest header block (431)
 * @param idleTimeoutSeconds  keep-alive connections idle this long are closed
 * @param maxConnections      open TCP connections at most; at the cap, connections not in a call
 *                            are closed (longest-waiting first), else a new one gets 503
 * @param headerTimeoutSeconds a request head (a new connection's first, or the next one's from its
 *                            first byte) must be complete within this, or the connection is closed
 * @param bodyTimeoutSeconds  a request body that stops arriving this long (no byte) closes the connection
 * @param trustedProxies      CIDRs whose {@code X-Forwarded-For} is believed; empty: never
 * @param requestIdHeader     header whose value (if well-formed) becomes the request id
 * @param allowedBackendAddresses CIDRs a route's backend may use although they are link-local,
 *                            metadata or the gateway's own addresses (BackendAddressPolicy)
 */
public record ServerConfig(Integer port, String host, Long maxBodyBytes, Integer maxHeaderBytes,
                           Integer idleTimeoutSeconds, Integer maxConnections,
                           List<String> trustedProxies, TlsConfig tls, Boolean metricsOnDataPort,
                           List<String> allowedBackendAddresses, Integer headerTimeoutSeconds,
                           Integer bodyTimeoutSeconds) {
    public ServerConfig {
        port = port == null ? 8080 : port;
        ValidationException.require(port >= 0 && port <= 65535, "server.port", "must be 0-65535");
        host = host == null || host.isBlank() ? "0.0.0.0" : host;
        maxBodyBytes = maxBodyBytes == null ? 10L * 1024 * 1024 : maxBodyBytes;
        ValidationException.require(maxBodyBytes >= 1024, "server.max_body_bytes", "must be at least 1024");
        maxHeaderBytes = maxHeaderBytes == null ? 16 * 1024 : maxHeaderBytes;
        ValidationException.require(maxHeaderBytes >= 1024, "server.max_header_bytes", "must be at least 1024");
        idleTimeoutSeconds = idleTimeoutSeconds == null ? 120 : idleTimeoutSeconds;
        ValidationException.require(idleTimeoutSeconds >= 1, "server.idle_timeout_seconds", "must be positive");
        headerTimeoutSeconds = headerTimeoutSeconds == null ? 10 : headerTimeoutSeconds;
        ValidationException.require(headerTimeoutSeconds >= 1 && headerTimeoutSeconds <= 3600,
                "server.header_timeout_seconds", "must be 1-3600");
        bodyTimeoutSeconds = bodyTimeoutSeconds == null ? 30 : bodyTimeoutSeconds;
        ValidationException.require(bodyTimeoutSeconds >= 1 && bodyTimeoutSeconds <= 3600,
                "server.body_timeout_seconds", "must be 1-3600");
        maxConnections = maxConnections == null ? 20_000 : maxConnections;
        ValidationException.require(maxConnections >= 1, "server.max_connections", "must be positive");
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        metricsOnDataPort = metricsOnDataPort != null && metricsOnDataPort;
        allowedBackendAddresses = allowedBackendAddresses == null ? List.of() : List.copyOf(allowedBackendAddresses);
        for (String cidr : allowedBackendAddresses) {
            try {
                org.atrium.gateway.security.CidrBlock.parse(cidr);
            } catch (RuntimeException e) {
                throw new ValidationException("server.allowed_backend_addresses", "not an IP address or CIDR: " + cidr);
            }
        }
    }

    static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    ServerConfig withPort(int p) {
        return new ServerConfig(p, host, maxBodyBytes, maxHeaderBytes, idleTimeoutSeconds,
                maxConnections, trustedProxies, tls, metricsOnDataPort, allowedBackendAddresses, headerTimeoutSeconds,
                bodyTimeoutSeconds);
    }
}
