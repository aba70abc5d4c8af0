package org.atrium.gateway.pipeline;

import java.time.Duration;
import java.util.Optional;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.traffic.FairShareQueue;
import org.atrium.gateway.traffic.TenantLoad;
import org.atrium.gateway.traffic.TrafficControl;
import org.atrium.model.ErrorCode;
import org.atrium.model.RouteSpec;

/**
 * Stage 8: admission to the route's backend pool. First the degrade rule: a route with a
 * {@code fallback} hands the call to that route when none of its own backends is usable (ejected,
 * failing health checks or circuit open) or when {@code fallbackQueueThreshold} calls already
 * wait for it. Then the pool's {@link FairShareQueue}: straight through while capacity is free,
 * otherwise wait by priority and weighted fair share, at most {@code queueTimeoutSeconds} (503
 * {@code QUEUE_TIMEOUT}) and behind at most {@code maxQueue} others (503 {@code QUEUE_FULL}).
 */
public final class AdmissionStage implements Stage {
    private final TrafficControl traffic;
    private final RouteRegistry routes;
    private final TenantLoad load;

    public AdmissionStage(TrafficControl traffic, RouteRegistry routes) {
        this(traffic, routes, new TenantLoad(traffic, t -> null));
    }

    public AdmissionStage(TrafficControl traffic, RouteRegistry routes, TenantLoad load) {
        this.load = load;
        this.traffic = traffic;
        this.routes = routes;
    }

    @Override
    public int order() {
        return ADMISSION;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        Route route = degrade(ex, ex.route());
        RouteSpec spec = route.spec();
        FairShareQueue queue = traffic.queue(route);
        long start = System.nanoTime();
        String tenant = ex.tenantId();
        load.queued(tenant, 1);
        try {
            FairShareQueue.Permit permit = queue.admit(tenant, ex.tenant() == null ? 1 : ex.tenant().weight(),
                    ex.priority(), route.capacity(), spec.maxQueue(), Duration.ofSeconds(spec.queueTimeoutSeconds()));
            load.running(tenant, 1);
            ex.onComplete(() -> {
                load.running(tenant, -1);
                permit.close();
            });
        } catch (FairShareQueue.NotAdmitted e) {
            long retry = Math.min(60, 1 + queue.waiting() / Math.max(1, route.capacity()));
            if (e.refusal() == FairShareQueue.Refusal.FULL) {
                traffic.stats().count("queue.full");
                throw new Rejection(ErrorCode.QUEUE_FULL).with("task_id", route.id()).retryAfterSeconds(retry);
            }
            traffic.stats().count("queue.timeout");
            throw new Rejection(ErrorCode.QUEUE_TIMEOUT).with("task_id", route.id()).retryAfterSeconds(retry);
        } finally {
            load.queued(tenant, -1);
            ex.queueNanos(System.nanoTime() - start);
        }
    }

    private Route degrade(Exchange ex, Route route) {
        String fallbackId = route.spec().fallback();
        if (fallbackId == null) {
            return route;
        }
        Optional<Route> fallback = routes.table().byId(fallbackId);
        if (fallback.isEmpty()) {
            return route;
        }
        Integer threshold = route.spec().fallbackQueueThreshold();
        boolean busy = threshold != null && traffic.queue(route).waiting() >= threshold;
        if ((busy || !usable(route)) && usable(fallback.get())) {
            traffic.stats().count("fallback");
            ex.fallbackFrom(route.id());
            ex.route(fallback.get());
            return fallback.get();
        }
        return route;
    }

    private boolean usable(Route route) {
        for (Backend b : route.backends()) {
            if (b.available() && traffic.breakers().permits(b)) {
                return true;
            }
        }
        return false;
    }
}
