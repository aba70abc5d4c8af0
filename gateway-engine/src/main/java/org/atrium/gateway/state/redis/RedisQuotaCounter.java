package org.atrium.gateway.state.redis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;
import org.atrium.gateway.state.StateException;
import org.atrium.gateway.traffic.LocalQuotaCounter;
import org.atrium.gateway.traffic.QuotaCounter;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * Daily quota counters in Redis, reserved atomically by a Lua script so several nodes never
 * overshoot a quota together. A counter is seeded once per (kind, tenant, day) from the usage
 * already recorded, and expires after three days. While Redis is unreachable the node falls back
 * to a local counter seeded with the last value it saw in Redis (degraded: each node then counts
 * on its own until Redis returns).
 */
public final class RedisQuotaCounter implements QuotaCounter {
    private static final Logger LOG = Logger.getLogger(RedisQuotaCounter.class.getName());
    private static final long TTL_SECONDS = 3 * 24 * 3600;

    // KEYS[1] counter; ARGV: amount, limit, seed ('' = not known yet), ttl seconds.
    // Returns {taken, used}: taken -1 when nothing is left, -2 when the caller must pass a seed.
    private static final String RESERVE = """
            local cur = redis.call('GET', KEYS[1])
            if not cur then
              if ARGV[3] == '' then return {-2, 0} end
              redis.call('SET', KEYS[1], ARGV[3], 'NX', 'EX', ARGV[4])
              cur = redis.call('GET', KEYS[1])
            end
            cur = tonumber(cur)
            local left = tonumber(ARGV[2]) - cur
            if left <= 0 then return {-1, cur} end
            local take = math.min(tonumber(ARGV[1]), left)
            redis.call('INCRBY', KEYS[1], take)
            return {take, cur + take}
            """;

    // Adds ARGV[1] to an existing counter (a settle never creates one).
    private static final String ADJUST = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
            return 0
            """;

    private final RedisStateStore store;
    private final ToLongFunction<Key> seed;
    private final Map<Key, Long> lastSeen = new ConcurrentHashMap<>();
    private final QuotaCounter local;

    /** {@code seed}: what the store already counted for a key's day (read when Redis has no counter yet). */
    public RedisQuotaCounter(RedisStateStore store, ToLongFunction<Key> seed) {
        this.store = store;
        this.seed = seed;
        this.local = new LocalQuotaCounter(k -> {
            Long seen = lastSeen.get(k);
            return seen != null ? seen : seed.applyAsLong(k);
        });
    }


    private String redisKey(Key key) {
        return store.keyPrefix() + "quota:" + key.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + key.day()
                + ":" + key.tenant();
    }

    @Override
    public Optional<Reservation> tryReserve(Key key, long amount, long limit) {
        if (store.healthy()) {
            try {
                return remoteReserve(key, Math.max(1, amount), limit);
            } catch (StateException e) {
                LOG.fine(() -> "Shared quota unavailable, counting locally: " + e.getMessage());
            }
        }
        return local.tryReserve(key, amount, limit);
    }

    private Optional<Reservation> remoteReserve(Key key, long want, long limit) {
        String k = redisKey(key);
        List<Object> r = reserve(k, want, limit, "");
        if (number(r.get(0)) == -2) {
            r = reserve(k, want, limit, Long.toString(Math.max(0, seed.applyAsLong(key))));
        }
        long taken = number(r.get(0));
        lastSeen.put(key, number(r.get(1)));
        if (taken < 0) {
            return Optional.empty();
        }
        return Optional.of(new Held(k, taken));
    }

    private List<Object> reserve(String k, long want, long limit, String seedValue) {
        return store.call("reserve quota", c -> c.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE,
                RESERVE, RScript.ReturnType.LIST, List.of(k), Long.toString(want), Long.toString(limit), seedValue,
                Long.toString(TTL_SECONDS)));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }

    @Override
    public long used(Key key) {
        if (store.healthy()) {
            try {
                String v = store.call("read quota", c -> c.<String>getBucket(redisKey(key), StringCodec.INSTANCE)
                        .getAsync());
                long used = v == null ? Math.max(0, seed.applyAsLong(key)) : Long.parseLong(v);
                lastSeen.put(key, used);
                return used;
            } catch (StateException e) {
                LOG.fine(() -> "Shared quota unavailable, reading locally: " + e.getMessage());
            }
        }
        return local.used(key);
    }

    private final class Held extends SettledOnce {
        private final String key;

        Held(String key, long reserved) {
            super(reserved);
            this.key = key;
        }

        @Override
        protected void apply(long delta) {
            try {
                store.call("settle quota", c -> c.getScript(StringCodec.INSTANCE).<Long>evalAsync(
                        RScript.Mode.READ_WRITE, ADJUST, RScript.ReturnType.LONG, List.of(key), Long.toString(delta)));
            } catch (StateException e) {
                // The reservation stays counted as reserved: never more than one call's estimate per call.
                LOG.fine(() -> "Quota settle lost while Redis is unreachable: " + e.getMessage());
            }
        }
    }
}
