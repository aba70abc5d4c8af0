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

    /** Redis connection for cluster mode; env {@code ATRIUM_REDIS_URL} overrides {@code address}. */
    public record RedisConfig(String address, String password, Integer timeoutMillis) {
        public RedisConfig {
            timeoutMillis = timeoutMillis == null ? 500 : timeoutMillis;
        }
    }
}
