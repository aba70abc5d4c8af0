package org.atrium.gateway.route;

import java.util.Locale;

/**
 * Which signal decided a call's backend: shown in the access log ({@code pick}) and counted in
 * {@code atrium_balancer_decisions_total{reason}}.
 */
public enum Decision {
    /** Only one backend had room. */
    SINGLE,
    ROUND_ROBIN,
    WEIGHTED,
    LEAST_CONNECTIONS,
    /** inference: the backend that recently served the same prompt prefix. */
    AFFINITY,
    /** inference: the prefix's backend was loaded well beyond the others; the least loaded won. */
    AFFINITY_OVERLOADED,
    /** inference: least expected wait from fresh engine metrics (queue, running, KV cache) and learned speed. */
    ENGINE_LOAD,
    /** inference: engine metrics stale or missing; least expected wait from the gateway's own in-flight counts. */
    IN_FLIGHT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
