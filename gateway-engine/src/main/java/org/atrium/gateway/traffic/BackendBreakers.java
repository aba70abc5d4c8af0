package org.atrium.gateway.traffic;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.atrium.gateway.route.Backend;

/**
 * One Helidon circuit breaker per backend URL. It opens when at least {@code errorRatio} percent of
 * the last {@code volume} attempts failed (connection errors, 502/503/504), refuses calls while
 * open, and lets trial calls through after {@code openFor}. Complements passive ejection, which
 * reacts to consecutive failures only: a backend failing every other call trips the breaker.
 */
public final class BackendBreakers {
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final int volume;
    private final int errorRatio;
    private final Duration openFor;

    public BackendBreakers(int volume, int errorRatio, Duration openFor) {
        this.volume = volume;
        this.errorRatio = errorRatio;
        this.openFor = openFor;
    }

    private CircuitBreaker breaker(Backend b) {
        return breakers.computeIfAbsent(b.url(), url -> CircuitBreaker.builder()
                .name("backend " + url)
                .volume(volume)
                .errorRatio(errorRatio)
                .delay(openFor)
                .successThreshold(1)
                .enableMetrics(false)
                .build());
    }

    /** Whether {@code b} may be tried now (its breaker is not open). */
    public boolean permits(Backend b) {
        return breaker(b).state() != CircuitBreaker.State.OPEN;
    }

    public CircuitBreaker.State state(Backend b) {
        return breaker(b).state();
    }

    /** Runs one attempt under the backend's breaker; an open breaker surfaces as {@link Open}. */
    public <T> T guard(Backend b, Supplier<T> attempt) {
        try {
            return breaker(b).invoke(attempt);
        } catch (CircuitBreakerOpenException e) {
            throw new Open();
        }
    }

    /** The backend's breaker refused the attempt; nothing was sent. */
    public static final class Open extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Open() {
            super("circuit open", null, false, false);
        }
    }

    /** Forgets breakers of backends no longer configured. */
    public void retain(java.util.Set<String> urls) {
        breakers.keySet().retainAll(urls);
    }
}
