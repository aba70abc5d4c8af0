package org.atrium.gateway.metrics;

import io.helidon.faulttolerance.CircuitBreaker;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.traffic.BackendBreakers;

/**
 * A backend's circuit state as operators see it, in one place: the Helidon circuit breaker's
 * state when it is open or half-open, else the passive-health ejection in the same words
 * ({@code open} while ejected, {@code half_open} during the trial call after an ejection,
 * {@code closed} otherwise).
 */
public final class BackendCircuit {
    private final BackendBreakers breakers;

    /** @param breakers the traffic breakers, or null when there are none */
    public BackendCircuit(BackendBreakers breakers) {
        this.breakers = breakers;
    }

    public String state(Backend b) {
        if (breakers != null) {
            CircuitBreaker.State s = breakers.state(b);
            if (s == CircuitBreaker.State.OPEN) {
                return "open";
            }
            if (s == CircuitBreaker.State.HALF_OPEN) {
                return "half_open";
            }
        }
        if (b.ejectedUntil() != null) {
            return "open";
        }
        return b.available() && !b.up() ? "half_open" : "closed";
    }
}
