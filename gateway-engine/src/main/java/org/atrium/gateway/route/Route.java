package org.atrium.gateway.route;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.atrium.model.Balancer;
import org.atrium.model.RouteSpec;

/** A route at run time: its spec and its backends, with the balancer that picks among them. */
public final class Route {
    private final RouteSpec spec;
    private final List<Backend> backends;
    private final AtomicLong cursor = new AtomicLong();

    Route(RouteSpec spec, List<Backend> backends) {
        this.spec = spec;
        this.backends = List.copyOf(backends);
    }

    public String id() {
        return spec.id();
    }

    public RouteSpec spec() {
        return spec;
    }

    public List<Backend> backends() {
        return backends;
    }

    /**
     * Backends in the order to try them for one call: the balancer's choice first, then the other
     * available ones (failover), skipping ejected backends. Empty when none is available.
     */
    public List<Backend> candidates() {
        List<Backend> live = backends.stream().filter(Backend::available).toList();
        if (live.size() <= 1) {
            return live;
        }
        Backend first = pick(live, spec.balancer());
        java.util.ArrayList<Backend> order = new java.util.ArrayList<>(live.size());
        order.add(first);
        for (Backend b : live) {
            if (b != first) {
                order.add(b);
            }
        }
        return order;
    }

    private Backend pick(List<Backend> live, Balancer balancer) {
        return switch (balancer) {
            case ROUND_ROBIN -> live.get((int) Math.floorMod(cursor.getAndIncrement(), (long) live.size()));
            case LEAST_CONNECTIONS -> {
                Backend best = null;
                double bestLoad = Double.MAX_VALUE;
                int start = (int) Math.floorMod(cursor.getAndIncrement(), (long) live.size());
                for (int i = 0; i < live.size(); i++) {
                    Backend b = live.get((start + i) % live.size());
                    double load = (double) b.inFlight() / Math.max(1, b.weight());
                    if (load < bestLoad) {
                        bestLoad = load;
                        best = b;
                    }
                }
                yield best;
            }
            case WEIGHTED -> {
                int total = live.stream().mapToInt(Backend::weight).sum();
                if (total <= 0) {
                    yield live.getFirst();
                }
                // Deterministic weighted round-robin over the cumulative weights.
                long slot = Math.floorMod(cursor.getAndIncrement(), (long) total);
                Backend chosen = live.getLast();
                for (Backend b : live) {
                    slot -= b.weight();
                    if (slot < 0) {
                        chosen = b;
                        break;
                    }
                }
                yield chosen;
            }
        };
    }

    /** The pool's capacity: the sum of its backends' {@code max_concurrency}. */
    public int capacity() {
        return spec.capacity();
    }

    public int inFlight() {
        return backends.stream().mapToInt(Backend::inFlight).sum();
    }

    public boolean healthy() {
        return backends.stream().anyMatch(Backend::available);
    }
}
