package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.atrium.model.Balancer;
import org.junit.jupiter.api.Test;

/** The classic balancers: smooth weights and a backend's {@code max_concurrency} as a hard cap. */
class BalancerTest {

    private static List<String> sequence(Route route, int n) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Route.Choice c = route.choose(CallProfile.NONE, b -> true, RouteFixture.noWait());
            Backend b = c.order().getFirst();
            picks.add(Character.toString('a' + route.backends().indexOf(b)));
            b.end();
        }
        return picks;
    }

    @Test
    void weightedInterleavesLikeNginx() {
        RouteFixture f = new RouteFixture();
        f.backend(5, 100);
        f.backend(1, 100);
        f.backend(1, 100);
        Route route = f.route(Balancer.WEIGHTED);
        // nginx's smooth weighted round-robin for 5:1:1
        assertThat(sequence(route, 14)).containsExactly("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void weightedNeverRunsLongerThanTheWeightsDemand() {
        RouteFixture f = new RouteFixture();
        f.backend(10, 1000);
        f.backend(10, 1000);
        f.backend(4, 1000);
        Route route = f.route(Balancer.WEIGHTED);
        List<String> seq = sequence(route, 2400);
        Map<String, Integer> counts = new HashMap<>();
        seq.forEach(s -> counts.merge(s, 1, Integer::sum));
        assertThat(counts).containsEntry("a", 1000).containsEntry("b", 1000).containsEntry("c", 400);
        int run = 1;
        int longest = 1;
        for (int i = 1; i < seq.size(); i++) {
            run = seq.get(i).equals(seq.get(i - 1)) ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        assertThat(longest).isLessThanOrEqualTo(2); // the old cumulative scheme gave runs of 10
    }

    @Test
    void weightZeroIsNeverPickedWhileOthersHaveWeight() {
        RouteFixture f = new RouteFixture();
        f.backend(0, 100);
        f.backend(3, 100);
        assertThat(sequence(f.route(Balancer.WEIGHTED), 20)).containsOnly("b");
    }

    @Test
    void aFullBackendIsSkippedByEveryBalancer() {
        for (Balancer balancer : Balancer.values()) {
            RouteFixture f = new RouteFixture();
            Backend slow = f.backend(1, 2);
            Backend fast = f.backend(1, 10);
            Route route = f.route(balancer);
            assertThat(slow.tryBegin()).isTrue();
            assertThat(slow.tryBegin()).isTrue();
            for (int i = 0; i < 8; i++) {
                Route.Choice c = route.choose(CallProfile.NONE, b -> true, RouteFixture.noWait());
                assertThat(c.outcome()).as(balancer.name()).isEqualTo(Route.Outcome.CHOSEN);
                assertThat(c.order()).as(balancer.name()).containsExactly(fast);
                assertThat(c.decision()).isEqualTo(Decision.SINGLE);
            }
            assertThat(slow.inFlight()).isEqualTo(2);
            assertThat(fast.inFlight()).isEqualTo(8);
        }
    }

    @Test
    void whenEveryBackendIsFullTheCallWaitsInsteadOfPilingOn() {
        RouteFixture f = new RouteFixture();
        Backend a = f.backend(1, 1);
        Backend b = f.backend(1, 1);
        Route route = f.route(Balancer.ROUND_ROBIN);
        assertThat(a.tryBegin()).isTrue();
        assertThat(b.tryBegin()).isTrue();
        Route.Choice timedOut = route.choose(CallProfile.NONE, x -> true, RouteFixture.noWait());
        assertThat(timedOut.outcome()).isEqualTo(Route.Outcome.ALL_FULL);
        assertThat(a.inFlight() + b.inFlight()).isEqualTo(2);
    }

    @Test
    void aWaitingCallTakesTheSlotThatFrees() throws Exception {
        RouteFixture f = new RouteFixture();
        Backend a = f.backend(1, 1);
        Backend b = f.backend(1, 1);
        Route route = f.route(Balancer.LEAST_CONNECTIONS);
        a.tryBegin();
        b.tryBegin();
        CompletableFuture<Route.Choice> waiting = CompletableFuture.supplyAsync(() ->
                route.choose(CallProfile.NONE, x -> true, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
        b.end();
        Route.Choice c = waiting.get(60, TimeUnit.SECONDS);
        assertThat(c.outcome()).isEqualTo(Route.Outcome.CHOSEN);
        assertThat(c.order().getFirst()).isSameAs(b);
        assertThat(b.inFlight()).isEqualTo(1);
        assertThat(a.inFlight()).isEqualTo(1);
    }

    @Test
    void failoverTakesASlotOnlyWhereThereIsRoom() {
        RouteFixture f = new RouteFixture();
        Backend a = f.backend(1, 1);
        Backend b = f.backend(1, 1);
        Route route = f.route(Balancer.ROUND_ROBIN);
        Route.Choice c = route.choose(CallProfile.NONE, x -> true, RouteFixture.noWait());
        Backend first = c.order().getFirst();
        Backend other = first == a ? b : a;
        assertThat(c.take(first)).isTrue(); // the choice's own slot
        assertThat(first.inFlight()).isEqualTo(1);
        other.tryBegin(); // filled by another call meanwhile
        assertThat(c.take(other)).isFalse();
        assertThat(other.inFlight()).isEqualTo(1);
    }

    @Test
    void ejectedAndRefusedBackendsAreNeverChosen() {
        RouteFixture f = new RouteFixture();
        Backend down = f.backend(1, 10);
        Backend up = f.backend(1, 10);
        Route route = f.route(Balancer.INFERENCE);
        for (int i = 0; i < Backend.HealthPolicy.DEFAULT.failureThreshold(); i++) {
            down.recordFailure();
        }
        for (int i = 0; i < 5; i++) {
            Route.Choice c = route.choose(CallProfile.NONE, x -> true, RouteFixture.noWait());
            assertThat(c.order()).containsExactly(up);
            up.end();
        }
        assertThat(route.capacity()).as("pool capacity counts usable backends only").isEqualTo(10);
        assertThat(route.choose(CallProfile.NONE, x -> x != up, RouteFixture.noWait()).outcome())
                .isEqualTo(Route.Outcome.ALL_REFUSED);
        up.activeCheck(false);
        assertThat(route.choose(CallProfile.NONE, x -> true, RouteFixture.noWait()).outcome())
                .isEqualTo(Route.Outcome.NONE_AVAILABLE);
        assertThat(route.capacity()).as("nothing usable: the spec's capacity, so the call gets an honest 503")
                .isEqualTo(20);
    }
}
