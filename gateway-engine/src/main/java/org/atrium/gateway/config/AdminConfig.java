package org.atrium.gateway.config;

import org.atrium.model.ValidationException;

/** The admin listener: loopback only unless an operator deliberately opens it. */
public record AdminConfig(Integer port, String host) {
    public AdminConfig {
        port = port == null ? 8081 : port;
        ValidationException.require(port >= 0 && port <= 65535, "admin.port", "must be 0-65535");
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
    }

    static AdminConfig defaults() {
        return new AdminConfig(null, null);
    }

    AdminConfig withPort(int p) {
        return new AdminConfig(p, host);
    }
}
