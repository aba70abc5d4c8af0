package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.atrium.model.BackendSpec;
import org.atrium.model.Balancer;
import org.atrium.model.RouteSpec;
import org.junit.jupiter.api.Test;

/**
 * One server named by two routes with different settings: it is one backend (one health, one
 * circuit, one load), but each route keeps its own weight and max_concurrency. The bench's streaming
 * route once queued behind the fairness route's cap of 4 because the last route read won.
 */
class SharedBackendTest {
    static RouteSpec route(String id, BackendSpec... backends) {
        return new RouteSpec(id, null, List.of(backends), Balancer.WEIGHTED, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    @Test
    void eachRouteKeepsItsOwnCapacityAndTheServerTakesTheLargest() {
        RouteRegistry registry = new RouteRegistry(Clock.systemUTC(), Backend.HealthPolicy.DEFAULT,
                new InferenceSettings(null, null, null, null, null, null));
        registry.setFileRoutes(List.of(
                route("stream", new BackendSpec("http://10.0.0.1:8000", 1, 1000)),
                route("small", new BackendSpec("http://10.0.0.1:8000", 1, 4), new BackendSpec("http://10.0.0.2:8000", 3, 2))));
        Route stream = registry.table().byId("stream").orElseThrow();
        Route small = registry.table().byId("small").orElseThrow();
        assertThat(stream.backends().getFirst()).isSameAs(small.backends().getFirst());
        assertThat(stream.capacity()).isEqualTo(1000);
        assertThat(small.capacity()).isEqualTo(6);
        Backend shared = stream.backends().getFirst();
        for (int i = 0; i < 500; i++) {
            assertThat(shared.tryBegin()).as("slot " + i).isTrue(); // not capped at the other route's 4
        }
    }

    @Test
    void weightsAreEachRoutesOwn() {
        RouteRegistry registry = new RouteRegistry(Clock.systemUTC(), Backend.HealthPolicy.DEFAULT,
                new InferenceSettings(null, null, null, null, null, null));
        registry.setFileRoutes(List.of(
                route("a", new BackendSpec("http://10.0.0.1:8000", 1, 10), new BackendSpec("http://10.0.0.2:8000", 3, 10)),
                route("b", new BackendSpec("http://10.0.0.1:8000", 5, 10), new BackendSpec("http://10.0.0.2:8000", 1, 10))));
        Route a = registry.table().byId("a").orElseThrow();
        int second = 0;
        for (int i = 0; i < 40; i++) {
            Backend picked = a.choose(a.profile(null), b -> true, System.nanoTime()).order().getFirst();
            picked.end();
            if (picked.url().endsWith("2:8000")) {
                second++;
            }
        }
        assertThat(second).as("route a's 1:3 weights, not route b's 5:1").isEqualTo(30);
    }
}
