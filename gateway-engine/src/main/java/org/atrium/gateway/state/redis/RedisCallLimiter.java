package org.atrium.gateway.state.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;
import org.atrium.gateway.state.StateException;
import org.atrium.gateway.traffic.BucketProvider;
import org.atrium.gateway.traffic.CallLimiter;
import org.atrium.gateway.traffic.LocalCallLimiter;
import org.atrium.gateway.traffic.LocalQuotaCounter;
import org.atrium.gateway.traffic.QuotaCounter;
import org.redisson.client.codec.StringCodec;

/**
 * Rate limits and daily quotas shared by every node, decided in ONE Lua script per call (one
 * round trip; EVALSHA through Redisson's script cache, which loads the script once and reloads it
 * after a NOSCRIPT). Calls that arrive while a script is in flight share the next one
 * ({@link LimitBatcher}). For each call the script checks every bucket and quota first and only
 * then takes a token from each bucket and reserves each quota, so a refused call takes nothing.
 * Under a generous rate limit the script hands out a small lease of tokens with the call's own
 * ({@link TokenLeases}), so most calls that have no quota need no round trip at all; quotas are
 * never leased (they stay exact). Buckets are token
 * buckets refilled greedily on Redis's own clock (one clock for all nodes) and expire once full;
 * quota counters are seeded once per (kind, tenant, day) from the usage already recorded and kept
 * three days. Settling a reservation (tokens used, a call not served) is sent without
 * waiting, with the next limit script (its own script when none is in flight). While Redis is unreachable, or when a call fails, this node's own buckets and
 * counters answer (a quota continues from the last value seen in Redis).
 */
public final class RedisCallLimiter implements CallLimiter, QuotaCounter {
    private static final Logger LOG = Logger.getLogger(RedisCallLimiter.class.getName());
    private static final long QUOTA_TTL_SECONDS = 3 * 24 * 3600;

    // Settles, then a batch of calls, each decided on its own and all-or-nothing, in the order they
    // came. ARGV[1] the number of calls, ARGV[2] of settles, then each settle's delta (KEYS: its
    // counter; a settle never creates one); then per call: nb, nq, per bucket (capacity, per-minute rate, tokens
    // wanted: 1 plus a lease, unused tokens of an old lease handed back), per quota (amount, limit, seed or '' when not known yet, ttl seconds).
    // KEYS: per call its nb bucket keys, then its nq quota counters. Reply: per call 3 + nb + 2 * nq
    // numbers: {0, 0, 0, tokens taken per bucket..., reserved, used per quota...} admitted;
    // {1, i, waitMillis, 0...} bucket i is empty; {2, j, used, 0...} quota j is used up; {3, j, 0, 0...}
    // quota j has no counter yet (send that call again with seeds).
    static final String ADMIT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local nadj = tonumber(ARGV[2])
            for i = 1, nadj do
              if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('INCRBY', KEYS[i], ARGV[2 + i]) end
            end
            local out, n, a, k = {}, 1, 3 + nadj, nadj
            for call = 1, tonumber(ARGV[1]) do
              local nb, nq = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
              local qa = a + 2 + 4 * nb
              local status, x, y = 0, 0, 0
              for j = 1, nb + 2 * nq do out[n + 2 + j] = 0 end
              for j = 1, nq do
                if status == 0 and ARGV[qa + 4 * j - 2] == '' and redis.call('EXISTS', KEYS[k + nb + j]) == 0 then
                  status, x = 3, j
                end
              end
              local left, got = {}, {}
              if status == 0 then
                for i = 1, nb do
                  local b = a + 4 * i - 2
                  local cap, rate = tonumber(ARGV[b]), tonumber(ARGV[b + 1]) / 60000
                  local s = redis.call('HMGET', KEYS[k + i], 'tokens', 'at')
                  local tokens = cap
                  if s[1] then tokens = tonumber(s[1]) + math.max(0, now - tonumber(s[2])) * rate end
                  tokens = math.min(cap, tokens + tonumber(ARGV[b + 3]))
                  if tokens < 1 then
                    status, x, y = 1, i, math.ceil((1 - tokens) / rate)
                    break
                  end
                  got[i] = math.min(tonumber(ARGV[b + 2]), math.floor(tokens))
                  left[i] = tokens - got[i]
                end
              end
              local take, used = {}, {}
              if status == 0 then
                for j = 1, nq do
                  local b, key = qa + 4 * (j - 1), KEYS[k + nb + j]
                  local cur = redis.call('GET', key)
                  if not cur then
                    redis.call('SET', key, ARGV[b + 2], 'NX', 'EX', ARGV[b + 3])
                    cur = redis.call('GET', key)
                  end
                  cur = tonumber(cur)
                  local room = tonumber(ARGV[b + 1]) - cur
                  if room <= 0 then
                    status, x, y = 2, j, cur
                    break
                  end
                  take[j] = math.min(tonumber(ARGV[b]), room)
                  used[j] = cur + take[j]
                end
              end
              if status == 0 then
                for i = 1, nb do
                  local b = a + 4 * i - 2
                  local cap, rate = tonumber(ARGV[b]), tonumber(ARGV[b + 1]) / 60000
                  redis.call('HSET', KEYS[k + i], 'tokens', tostring(left[i]), 'at', now)
                  redis.call('PEXPIRE', KEYS[k + i], math.ceil((cap - left[i]) / rate) + 1000)
                  out[n + 2 + i] = got[i]
                end
                for j = 1, nq do
                  redis.call('INCRBY', KEYS[k + nb + j], take[j])
                  out[n + 1 + nb + 2 * j] = take[j]
                  out[n + 2 + nb + 2 * j] = used[j]
                end
              end
              out[n], out[n + 1], out[n + 2] = status, x, y
              n, a, k = n + 3 + nb + 2 * nq, qa + 4 * nq, k + nb + nq
            end
            return out
            """;

    private final RedisStateStore store;
    private final ToLongFunction<Key> seed;
    private final Map<Key, Long> lastSeen = new ConcurrentHashMap<>();
    private final QuotaCounter localQuotas;
    private final CallLimiter local;
    private final LimitBatcher batcher;
    private final TokenLeases leases = new TokenLeases();
    private final LongSupplier nanoTime;

    /**
     * {@code localBuckets}: this node's buckets (also used by the per-IP check before the token);
     * {@code seed}: what the store already counted for a quota's day (read once, when Redis has no counter yet).
     */
    public RedisCallLimiter(RedisStateStore store, BucketProvider localBuckets, ToLongFunction<Key> seed) {
        this(store, localBuckets, seed, System::nanoTime);
    }

    /** {@code nanoTime}: the monotonic time leases expire by (tests move it). */
    RedisCallLimiter(RedisStateStore store, BucketProvider localBuckets, ToLongFunction<Key> seed, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
        this.seed = seed;
        this.localQuotas = new LocalQuotaCounter(k -> {
            Long seen = lastSeen.get(k);
            return seen != null ? seen : seed.applyAsLong(k);
        });
        this.local = new LocalCallLimiter(localBuckets, localQuotas);
        this.batcher = new LimitBatcher(ADMIT, () -> store.link().client());
    }

    @Override
    public Verdict admit(List<RateCheck> rates, List<QuotaCheck> quotas) {
        if (rates.isEmpty() && quotas.isEmpty()) {
            return new Admitted(List.of());
        }
        if (store.healthy()) {
            try {
                return shared(rates, quotas);
            } catch (StateException e) {
                LOG.fine(() -> "Shared limits unavailable, using this node's: " + e.getMessage());
            }
        }
        return local.admit(rates, quotas);
    }

    private Verdict shared(List<RateCheck> rates, List<QuotaCheck> quotas) {
        long now = nanoTime.getAsLong();
        List<RateCheck> remote = new ArrayList<>(rates.size());
        List<RateCheck> leased = new ArrayList<>(rates.size());
        Map<RateCheck, Long> fetching = new HashMap<>();
        for (RateCheck r : rates) {
            boolean leasable = TokenLeases.size(r.limit()) > 1;
            if (leasable && leases.take(r.key(), now)) {
                leased.add(r);
                continue;
            }
            remote.add(r);
            long back = leasable ? leases.claim(r.key()) : -1;
            if (back >= 0) {
                fetching.put(r, back);
            }
        }
        if (remote.isEmpty() && quotas.isEmpty()) {
            return new Admitted(List.of());
        }
        Verdict v = null;
        try {
            v = fromRedis(remote, fetching, quotas, now);
            return v;
        } finally {
            if (!(v instanceof Admitted)) {
                leased.forEach(r -> leases.giveBack(r.key()));
                fetching.keySet().forEach(r -> leases.release(r.key()));
            }
        }
    }

    /**
     * {@code fetching}: the rates among {@code rates} whose next lease this call brings back, with
     * the tokens of their old lease it hands back.
     */
    private Verdict fromRedis(List<RateCheck> rates, Map<RateCheck, Long> fetching, List<QuotaCheck> quotas, long now) {
        List<Object> reply = run(rates, fetching, quotas, false);
        if (status(reply) == 3) {
            reply = run(rates, fetching, quotas, true); // a quota's first call of the day (on any node)
        }
        int nb = rates.size();
        return switch (status(reply)) {
            case 0 -> {
                for (int i = 0; i < nb; i++) {
                    RateCheck r = rates.get(i);
                    if (fetching.containsKey(r)) {
                        leases.keep(r.key(), r.limit(), number(reply.get(3 + i)) - 1, now);
                    }
                }
                List<Reservation> held = new ArrayList<>(quotas.size());
                for (int j = 0; j < quotas.size(); j++) {
                    QuotaCheck q = quotas.get(j);
                    lastSeen.put(q.key(), number(reply.get(4 + nb + 2 * j)));
                    held.add(new Held(redisKey(q.key()), number(reply.get(3 + nb + 2 * j))));
                }
                yield new Admitted(held);
            }
            case 1 -> new RateRefused(rates.get((int) number(reply.get(1)) - 1),
                    TimeUnit.MILLISECONDS.toNanos(number(reply.get(2))));
            case 2 -> {
                QuotaCheck q = quotas.get((int) number(reply.get(1)) - 1);
                lastSeen.put(q.key(), number(reply.get(2)));
                yield new QuotaRefused(q);
            }
            default -> throw new StateException("unexpected limit script reply " + reply, null);
        };
    }

    private List<Object> run(List<RateCheck> rates, Map<RateCheck, Long> fetching, List<QuotaCheck> quotas,
                             boolean withSeeds) {
        List<Object> keys = new ArrayList<>(rates.size() + quotas.size());
        List<Object> args = new ArrayList<>(2 + 4 * rates.size() + 4 * quotas.size());
        args.add(Integer.toString(rates.size()));
        args.add(Integer.toString(quotas.size()));
        for (RateCheck r : rates) {
            keys.add(store.keyPrefix() + "rate:" + r.key());
            args.add(Long.toString(r.limit().capacity()));
            args.add(Integer.toString(r.limit().perMinute()));
            Long back = fetching.get(r);
            args.add(back != null ? Long.toString(TokenLeases.size(r.limit())) : "1");
            args.add(back != null ? Long.toString(back) : "0");
        }
        for (QuotaCheck q : quotas) {
            keys.add(redisKey(q.key()));
            args.add(Long.toString(q.amount()));
            args.add(Long.toString(q.limit()));
            args.add(withSeeds ? Long.toString(Math.max(0, seed.applyAsLong(q.key()))) : "");
            args.add(Long.toString(QUOTA_TTL_SECONDS));
        }
        return store.call("check limits", c -> batcher.submit(keys, args, 3 + rates.size() + 2 * quotas.size()));
    }

    private static int status(List<Object> reply) {
        return reply == null || reply.isEmpty() ? -1 : (int) number(reply.get(0));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }

    private String redisKey(Key key) {
        return store.keyPrefix() + "quota:" + key.kind().name().toLowerCase(Locale.ROOT) + ":" + key.day() + ":"
                + key.tenant();
    }

    @Override
    public Optional<Reservation> tryReserve(Key key, long amount, long limit) {
        return admit(List.of(), List.of(new QuotaCheck(key, amount, limit))) instanceof Admitted a
                ? Optional.of(a.reservations().get(0)) : Optional.empty();
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
        return localQuotas.used(key);
    }

    /** A reservation in Redis; its settle goes with the next limit script, without waiting for the answer. */
    private final class Held extends SettledOnce {
        private final String key;

        Held(String key, long reserved) {
            super(reserved);
            this.key = key;
        }

        @Override
        protected void apply(long delta) {
            // Lost while Redis is unreachable: the reservation stays counted, never more than one call's estimate.
            if (store.healthy()) {
                batcher.adjust(key, delta);
            }
        }
    }
}
