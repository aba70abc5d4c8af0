package org.atrium.gateway.state.redis;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.redisson.Bucket4jRedisson;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import org.atrium.gateway.traffic.BucketProvider;
import org.atrium.gateway.traffic.RateLimit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * Rate-limit buckets shared by every node (Bucket4j's compare-and-swap buckets in Redis), so two
 * nodes together let through what one would. While Redis is unreachable, and for any single call
 * that fails, the node's local buckets answer instead: limits degrade to per-node, requests never
 * fail or wait because of Redis (each remote call is bounded by the store's timeout).
 */
public final class RedisBucketProvider implements BucketProvider {
    private static final Logger LOG = Logger.getLogger(RedisBucketProvider.class.getName());

    private record Manager(RedissonClient client, ProxyManager<String> proxies) {
    }

    private final RedisStateStore store;
    private final BucketProvider local;
    private final Clock clock;
    private final Duration timeout;
    private volatile Manager manager;

    public RedisBucketProvider(RedisStateStore store, BucketProvider local, Clock clock, Duration timeout) {
        this.store = store;
        this.local = local;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public Bucket bucket(String key, RateLimit limit) {
        ProxyManager<String> proxies = store.healthy() ? proxies() : null;
        if (proxies == null) {
            return local.bucket(key, limit);
        }
        Bucket remote = proxies.builder().build(store.keyPrefix() + "rl:" + key, limit::toConfiguration);
        return failover(remote, () -> local.bucket(key, limit));
    }

    @Override
    public long size() {
        return local.size();
    }

    /** The proxy manager for the store's current client (rebuilt when the store reconnects with a new one). */
    private ProxyManager<String> proxies() {
        RedissonClient client = store.link().client();
        if (!(client instanceof Redisson redisson)) {
            return null;
        }
        Manager m = manager;
        if (m == null || m.client() != client) {
            TimeMeter time = new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    return clock.millis() * 1_000_000L;
                }

                @Override
                public boolean isWallClockBased() {
                    return true;
                }
            };
            ProxyManager<String> pm = Bucket4jRedisson.casBasedBuilder(redisson.getCommandExecutor())
                    .clientClock(time)
                    .requestTimeout(timeout)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build();
            m = new Manager(client, pm);
            manager = m;
        }
        return m.proxies();
    }

    /** A bucket that asks Redis and, when that fails, the local bucket of the same key. */
    private Bucket failover(Bucket remote, java.util.function.Supplier<Bucket> fallback) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(remote, args);
            }
            try {
                return method.invoke(remote, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof RuntimeException)) {
                    throw cause;
                }
                LOG.fine(() -> "Shared rate limit unavailable, using the local one: " + cause);
                store.link().suspect("rate-limit call failed: " + cause.getClass().getSimpleName());
                try {
                    return method.invoke(fallback.get(), args);
                } catch (InvocationTargetException e2) {
                    throw e2.getCause();
                }
            }
        };
        return (Bucket) Proxy.newProxyInstance(Bucket.class.getClassLoader(), new Class<?>[] {Bucket.class}, h);
    }
}
