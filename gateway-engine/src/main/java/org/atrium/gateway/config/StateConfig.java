package org.atrium.gateway.config;

import org.atrium.model.ValidationException;

/**
 * Where state lives. {@code embedded}: SQLite in the data dir. {@code redis}: shared by several nodes.
 *
 * @param sync               embedded only: {@code full} (an acknowledged write survives power loss) or
 *                           {@code normal} (survives a process crash)
 * @param usageFlushSeconds  usage counters are written in batches this often; a crash loses at most this much
 */
public record StateConfig(String backend, String sync, Integer usageFlushSeconds, RedisConfig redis) {
    public StateConfig {
        backend = backend == null ? "embedded" : backend;
        ValidationException.require(backend.equals("embedded") || backend.equals("redis"), "state.backend",
                "must be embedded or redis");
        sync = sync == null ? "full" : sync;
        ValidationException.require(sync.equals("full") || sync.equals("normal"), "state.sync", "must be full or normal");
        usageFlushSeconds = usageFlushSeconds == null ? 2 : usageFlushSeconds;
        ValidationException.require(usageFlushSeconds >= 1 && usageFlushSeconds <= 60, "state.usage_flush_seconds",
                "must be 1-60");
        redis = redis == null ? new RedisConfig(null, null, null) : redis;
    }

    static StateConfig defaults() {
        return new StateConfig(null, null, null, null);
    }

    /**
     * Redis connection for cluster mode.
     *
     * @param address       {@code redis://host:port} or {@code rediss://host:port} (TLS); env
     *                      {@code ATRIUM_REDIS_URL} overrides it; default {@code redis://127.0.0.1:6379}
     * @param password      optional; env {@code ATRIUM_REDIS_PASSWORD} overrides it (keeps it out of the YAML)
     * @param timeoutMillis the most any single Redis call may take (connect, command, ping); default 500
     */
    public record RedisConfig(String address, String password, Integer timeoutMillis) {
        public static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";

        public RedisConfig {
            address = address == null || address.isBlank() ? DEFAULT_ADDRESS : address.strip();
            ValidationException.require(validAddress(address), "state.redis.address",
                    "must look like redis://host:port or rediss://host:port");
            timeoutMillis = timeoutMillis == null ? 500 : timeoutMillis;
            ValidationException.require(timeoutMillis >= 50 && timeoutMillis <= 10_000, "state.redis.timeout_millis",
                    "must be 50-10000");
        }

        /** This config with {@code ATRIUM_REDIS_URL} / {@code ATRIUM_REDIS_PASSWORD} applied when set. */
        public RedisConfig withEnv(java.util.Map<String, String> env) {
            String url = env.get("ATRIUM_REDIS_URL");
            String pw = env.get("ATRIUM_REDIS_PASSWORD");
            if ((url == null || url.isBlank()) && (pw == null || pw.isBlank())) {
                return this;
            }
            if (url != null && !url.isBlank() && !validAddress(url.strip())) {
                throw new ValidationException("ATRIUM_REDIS_URL", "must look like redis://host:port or rediss://host:port");
            }
            return new RedisConfig(url == null || url.isBlank() ? address : url,
                    pw == null || pw.isBlank() ? password : pw, timeoutMillis);
        }

        private static boolean validAddress(String a) {
            return a.matches("rediss?://[^\\s/@]+:\\d{1,5}/?");
        }
    }
}
