package org.atrium.gateway.config;

/**
 * The JSON access log: one line per request, never the prompt, the answer or a raw token.
 *
 * @param file where to write; default {@code <data-dir>/logs/access.log}; {@code "-"} for stdout
 */
public record AccessLogConfig(Boolean enabled, String file) {
    public AccessLogConfig {
        enabled = enabled == null || enabled;
    }

    static AccessLogConfig defaults() {
        return new AccessLogConfig(null, null);
    }
}
