package org.atrium.gateway.state.redis;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.state.StateException;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;

/**
 * Owns the Redisson client and decides whether Redis is usable. Redisson's {@code create()}
 * throws when Redis is down and its own reconnect has had bugs, so this class does not lean on
 * it: it creates the client itself with backoff, pings every {@link #PING_INTERVAL}, and after a
 * few failed pings throws the client away and creates a new one. Every call is bounded by the
 * configured timeout, and while the link is down calls fail at once instead of waiting.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    static final Duration PING_INTERVAL = Duration.ofMillis(500);
    /** Failed pings in a row after which the client is discarded and created anew. */
    private static final int RECREATE_AFTER = 3;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    /** What the store does on link events; both run on the link's own thread. */
    interface Hooks {
        /** A new client is connected: subscribe to change notifications (throws if Redis does not answer). */
        void subscribe(RedissonClient client);

        /** Redis is usable again after a start or an outage: reload everything, flush what was kept. */
        void resync();

        /** A cheap health round trip that also lets the store catch up with missed changes. */
        void ping(RedissonClient client);
    }

    private final Supplier<RedissonClient> factory;
    private final long timeoutMillis;
    private final String address;
    private final Hooks hooks;
    private final ScheduledExecutorService timer;
    private final Consumer<Boolean> onState;
    private volatile RedissonClient client;
    private volatile boolean up;
    private volatile boolean closed;
    private int failedPings;
    private long backoffMillis;

    RedisLink(String address, Supplier<RedissonClient> factory, Duration timeout, Hooks hooks, Consumer<Boolean> onState) {
        this.address = address;
        this.factory = factory;
        this.timeoutMillis = timeout.toMillis();
        this.hooks = hooks;
        this.onState = onState;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-redis-link");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Tries now (so a reachable Redis is used from the first read), then keeps trying in the
     * background. A second immediate try covers a first client that missed its handshake while a
     * cold JVM was still loading classes; a refused connection costs milliseconds per try.
     */
    void start() {
        try {
            timer.submit(this::connect).get();
            if (!up) {
                timer.submit(this::connect).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Redis link start failed", e.getCause());
        }
        timer.scheduleWithFixedDelay(this::tick, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The current client, or null between clients; for callers that build on Redisson directly. */
    RedissonClient client() {
        return client;
    }

    /** A caller saw a Redis call fail or time out: stop using Redis until a ping succeeds. */
    void suspect(String why) {
        markDown(why);
    }

    boolean up() {
        return up && !closed;
    }

    /**
     * Runs one Redis operation, waiting at most the configured timeout. Fails at once with a
     * {@link StateException} when the link is down; a connection failure or timeout marks it down.
     */
    <T> T call(String what, Function<RedissonClient, ? extends CompletionStage<T>> op) {
        RedissonClient c = client;
        if (c == null || !up()) {
            throw new StateException("Redis is unreachable (" + address + "); cannot " + what
                    + " until it is back", null);
        }
        CompletableFuture<T> f = null;
        try {
            f = op.apply(c).toCompletableFuture();
            return f.get(timeoutMillis + 50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(false); // the caller moves on: an operation still waiting to be sent is dropped
            markDown("timed out after " + timeoutMillis + " ms");
            throw new StateException("Redis did not answer within " + timeoutMillis + " ms; cannot " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("Interrupted while waiting for Redis to " + what, e);
        } catch (ExecutionException | CancellationException | RedisException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisConnectionException || cause instanceof RedisTimeoutException
                    || cause instanceof CancellationException) {
                markDown(cause.getClass().getSimpleName());
            }
            throw new StateException("Redis failed to " + what + ": " + cause.getMessage(), cause);
        }
    }

    private void markDown(String why) {
        if (up) {
            up = false;
            LOG.warning("Redis unreachable (" + why + "); serving the last known state, limits are local");
            onState.accept(false);
        }
    }

    private void connect() {
        if (closed || (up && client != null)) {
            return; // a retry scheduled before another attempt succeeded
        }
        long t0 = System.nanoTime();
        try {
            RedissonClient c = factory.get();
            if (closed) {
                shutdownQuietly(c);
                return;
            }
            client = c;
            failedPings = 0;
            backoffMillis = 0;
            hooks.subscribe(c);
            up = true;
            LOG.info("Connected to Redis at " + address);
            onState.accept(true);
            hooks.resync();
        } catch (RuntimeException e) {
            RedissonClient c = client;
            client = null;
            shutdownQuietly(c);
            backoffMillis = backoffMillis == 0 ? 250 : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
            LOG.log(Level.WARNING, "Cannot connect to Redis at " + address + " (" + e.getMessage() + ", after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms); serving the last known state, retrying in " + backoffMillis + " ms");
            timer.schedule(this::connect, backoffMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on the link thread every ping interval while a client exists. */
    private void tick() {
        RedissonClient c = client;
        if (closed || c == null) {
            return; // a connect attempt is scheduled
        }
        try {
            hooks.ping(c);
            failedPings = 0;
            if (!up) {
                up = true;
                LOG.info("Redis at " + address + " answers again; re-syncing");
                onState.accept(true);
                hooks.resync();
            }
        } catch (RuntimeException e) {
            failedPings++;
            markDown(e.getMessage());
            if (failedPings >= RECREATE_AFTER) {
                LOG.info("Recreating the Redis client after " + failedPings + " failed pings");
                client = null;
                shutdownQuietly(c);
                backoffMillis = 0;
                timer.execute(this::connect);
            }
        }
    }

    /** The bounded wait for hooks that run on the link thread (never on the request path). */
    <T> T await(RFuture<T> f) {
        return await(f, timeoutMillis + 50);
    }

    /**
     * A longer bound for setting up a new client (first pub/sub connection; a cold JVM loads a lot
     * of Redisson here). It runs on the link thread only, so requests never wait on it.
     */
    <T> T awaitSetup(RFuture<T> f) {
        return await(f, Math.max(3_000, 4 * timeoutMillis));
    }

    private <T> T await(RFuture<T> f, long millis) {
        try {
            return f.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StateException("Redis ping failed: " + e, e);
        }
    }

    private static void shutdownQuietly(RedissonClient c) {
        if (c == null) {
            return;
        }
        // Off the link thread: a client whose server is gone can take a while to shut down.
        Thread.ofVirtual().name("atrium-redis-shutdown").start(() -> {
            try {
                c.shutdown(0, 2, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Redisson shutdown", e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        up = false;
        timer.shutdownNow();
        RedissonClient c = client;
        client = null;
        if (c != null) {
            try {
                c.shutdown(0, 2, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Redisson shutdown", e);
            }
        }
    }
}
