package org.atrium.gateway.pipeline;

/**
 * One step of the request pipeline. Stages are stateless per request (their state lives in the
 * {@link Exchange}); the {@link #order()} constant fixes where each one runs.
 */
public interface Stage {
    int REQUEST_LIMITS = 100;
    int IP_CHECKS = 200;
    int TOKEN = 300;
    int PRINCIPAL_BANS = 400;
    int ROUTE = 500;
    int LIMITS = 600;
    int CACHE = 700;
    int ADMISSION = 800;

    int order();

    /** Continues by returning, refuses by throwing. */
    void apply(Exchange exchange) throws Rejection;
}
