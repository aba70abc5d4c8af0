package org.atrium.gateway.http;

import io.helidon.common.mapper.MapperManager;
import io.helidon.webclient.api.WebClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Process-wide Helidon settings the data path depends on for speed.
 *
 * <p>Helidon 4.2 resolves the global {@link MapperManager} through the service registry on every
 * typed header read ({@code Headers.contentLength()} and friends, several per proxied call on the
 * server and client side) unless one was installed explicitly. The bench's JFR profile put that
 * lookup at ~18 % of the gateway's CPU under load (fixed upstream in Helidon 4.3). On 4.5 the
 * install is kept until a profile shows it is no longer worth anything; it is also where start-up
 * first builds Helidon's service registry, which {@link #applyInBackground()} moves off the main
 * thread.
 */
public final class HelidonTuning {
    private static final AtomicReference<CompletableFuture<Void>> DONE = new AtomicReference<>();

    private HelidonTuning() {
    }

    /**
     * Starts {@link #apply()}'s work on a thread of its own and returns at once: building the manager
     * is where Helidon's service registry is first built (discovery over every jar), and a first
     * client builds Helidon's default client TLS context (the JDK's trust store): ~130 ms of a cold
     * start together. The caller reads its configuration and opens its store meanwhile, then calls
     * {@link #apply()} before its first Helidon server or client.
     */
    public static void applyInBackground() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (DONE.compareAndSet(null, f)) {
            Thread.ofPlatform().daemon().name("atrium-helidon-init").start(() -> install(f));
        }
    }

    /** Idempotent; returns once the manager is installed. Call before the first server or client is built. */
    public static void apply() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (DONE.compareAndSet(null, f)) {
            install(f);
        }
        DONE.get().join();
    }

    private static void install(CompletableFuture<Void> f) {
        try {
            MapperManager.global(MapperManager.create());
            WebClient.builder().build(); // its one-time set-up (default TLS, protocol discovery), not a connection
            f.complete(null);
        } catch (Throwable t) {
            f.completeExceptionally(t);
        }
    }
}
