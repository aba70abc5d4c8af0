package org.atrium.gateway.metrics;

import org.atrium.gateway.route.Backend;

/**
 * A backend's passive-health state in circuit-breaker words: {@code open} while it is ejected,
 * {@code half_open} while its ejection is over but it has not yet succeeded again (the trial call),
 * {@code closed} otherwise. The one place to change when traffic control adds its own breaker.
 */
public final class BackendCircuit {
    private BackendCircuit() {
    }

    public static String state(Backend b) {
        if (b.ejectedUntil() != null) {
            return "open";
        }
        return b.available() && !b.up() ? "half_open" : "closed";
    }
}
