package org.atrium.gateway.route;

import java.util.ArrayList;
import java.util.List;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.model.Balancer;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;

/** Builds routes of run-time backends sharing one clock and room signal, as the registry does. */
final class RouteFixture {
    final MutableClock clock = MutableClock.now();
    final RoomSignal room = new RoomSignal();
    final InferenceSettings settings;
    final List<Backend> backends = new ArrayList<>();

    RouteFixture() {
        this(InferenceSettings.DEFAULTS);
    }

    RouteFixture(InferenceSettings settings) {
        this.settings = settings;
    }

    /** Adds a backend {@code http://b<n>:8000}. */
    Backend backend(int weight, int maxConcurrency) {
        BackendSpec spec = new BackendSpec("http://b" + backends.size() + ":8000", weight, maxConcurrency);
        Backend b = new Backend(spec, clock, Backend.HealthPolicy.DEFAULT, settings, room);
        backends.add(b);
        return b;
    }

    Route route(Balancer balancer) {
        RouteSpec spec = new RouteSpec("r", null, backends.stream().map(Backend::spec).toList(), balancer,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        return new Route(spec, backends, clock, room, settings);
    }

    /** A deadline already passed: {@link Route#choose} does not wait. */
    static long noWait() {
        return System.nanoTime() - 1;
    }
}
