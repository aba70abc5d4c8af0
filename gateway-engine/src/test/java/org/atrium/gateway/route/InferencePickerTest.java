package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.atrium.model.Balancer;
import org.junit.jupiter.api.Test;

/** {@code balancer: inference}: every signal, and what happens when a signal is missing. */
class InferencePickerTest {
    private static final long SECOND = 1_000_000_000L;

    private final RouteFixture f = new RouteFixture(new InferenceSettings(4096, 512, 256, 1.5, Duration.ofSeconds(3), 90.0));

    private Route.Choice choose(Route route, CallProfile call) {
        return route.choose(call, b -> true, RouteFixture.noWait());
    }

    private CallProfile call(String department, String question) {
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\""
                + ("You assist the " + department + " ward. ").repeat(60) + "\"},{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
        return CallProfile.of(body.getBytes(StandardCharsets.UTF_8), f.settings);
    }

    private static void busy(Backend b, int calls) {
        for (int i = 0; i < calls; i++) {
            assertThat(b.tryBegin()).isTrue();
        }
    }

    @Test
    void withoutEngineMetricsTheGatewaysInFlightCountsDecide() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        busy(a, 3);
        busy(b, 1);
        Route.Choice c = choose(route, CallProfile.NONE);
        assertThat(c.order().getFirst()).isSameAs(b);
        assertThat(c.decision()).isEqualTo(Decision.IN_FLIGHT);
    }

    @Test
    void freshEngineMetricsSeeLoadTheGatewayDidNotSend() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        busy(b, 2);
        a.engineSample(12, 8, 50.0, f.clock.millis()); // other clients fill a's queue
        b.engineSample(0, 2, 10.0, f.clock.millis());
        Route.Choice c = choose(route, CallProfile.NONE);
        assertThat(c.order().getFirst()).isSameAs(b);
        assertThat(c.decision()).isEqualTo(Decision.ENGINE_LOAD);
    }

    @Test
    void staleEngineMetricsFallBackToInFlight() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        busy(b, 2);
        a.engineSample(12, 8, 50.0, f.clock.millis());
        b.engineSample(0, 2, 10.0, f.clock.millis());
        f.clock.advance(Duration.ofSeconds(4)); // past stale_after: a's queue may long be gone
        assertThat(a.engineLoad(f.clock.millis(), 3000)).isEqualTo(-1);
        Route.Choice c = choose(route, CallProfile.NONE);
        assertThat(c.order().getFirst()).isSameAs(a);
        assertThat(c.decision()).isEqualTo(Decision.IN_FLIGHT);
    }

    @Test
    void anEngineWithoutLoadGaugesCountsAsMissing() {
        Backend a = f.backend(1, 64);
        a.engineSample(null, null, 40.0, f.clock.millis());
        assertThat(a.engineLoad(f.clock.millis(), 3000)).isEqualTo(-1);
        assertThat(a.engineKvFraction(f.clock.millis(), 3000)).isNaN();
    }

    @Test
    void callsSentSinceTheScrapeCorrectItsCounts() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        a.engineSample(0, 0, 0.0, f.clock.millis());
        b.engineSample(2, 2, 0.0, f.clock.millis());
        // a looks idle at the scrape, b has 4; the calls sent since make a the busier one after the fourth
        for (int i = 0; i < 4; i++) {
            assertThat(choose(route, CallProfile.NONE).order().getFirst()).isSameAs(a);
        }
        assertThat(a.engineLoad(f.clock.millis(), 3000)).isEqualTo(4.0);
        assertThat(choose(route, CallProfile.NONE).order().getFirst()).as("4 + 1 each: ties go round").isIn(a, b);
        // calls that finished since the scrape come off again, but never below the gateway's in-flight count
        int inFlight = a.inFlight();
        for (int i = 0; i < inFlight; i++) {
            a.end();
        }
        assertThat(a.engineLoad(f.clock.millis(), 3000)).isZero();
        assertThat(b.tryBegin()).isTrue();
        a.engineSample(0, 0, 0.0, f.clock.millis());
        b.engineSample(0, 0, 0.0, f.clock.millis()); // b's engine has not seen its call yet
        assertThat(b.engineLoad(f.clock.millis(), 3000)).isEqualTo(1.0);
    }

    @Test
    void aNearlyFullKvCacheCountsAsExtraLoad() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        a.engineSample(0, 4, 99.0, f.clock.millis());
        b.engineSample(1, 5, 60.0, f.clock.millis());
        assertThat(choose(route, CallProfile.NONE).order().getFirst()).isSameAs(b);
        InferencePicker p = new InferencePicker(f.settings);
        assertThat(p.kvPenalty(0.5)).isEqualTo(1.0);
        assertThat(p.kvPenalty(Double.NaN)).isEqualTo(1.0);
        assertThat(p.kvPenalty(0.95)).isBetween(2.9, 3.1);
        assertThat(p.kvPenalty(1.0)).isEqualTo(5.0);
    }

    @Test
    void slowerBackendsGetWorkInProportionToTheirLearnedSpeed() {
        Backend a = f.backend(1, 1000);
        Backend b = f.backend(1, 1000);
        Backend slow = f.backend(1, 1000);
        a.capacity().observe(100, SECOND / 10, SECOND);
        b.capacity().observe(100, SECOND / 10, SECOND);
        slow.capacity().observe(40, SECOND / 4, SECOND);
        Route route = f.route(Balancer.INFERENCE);
        Map<Backend, Integer> share = new HashMap<>();
        for (int i = 0; i < 240; i++) { // calls that stay in flight: the counts settle at the speed ratio
            share.merge(choose(route, CallProfile.NONE).order().getFirst(), 1, Integer::sum);
        }
        assertThat(share.get(a)).isBetween(98, 102);
        assertThat(share.get(b)).isBetween(98, 102);
        assertThat(share.get(slow)).isBetween(38, 42);
    }

    @Test
    void aBackendOfUnknownSpeedCountsAsFastest() {
        Backend known = f.backend(1, 64);
        Backend fresh = f.backend(1, 64);
        known.capacity().observe(100, SECOND / 10, SECOND);
        assertThat(InferencePicker.relativeSpeed(Double.NaN, 100)).isEqualTo(1.0);
        assertThat(InferencePicker.relativeSpeed(40, 100)).isEqualTo(0.4);
        busy(known, 1);
        assertThat(choose(f.route(Balancer.INFERENCE), CallProfile.NONE).order().getFirst()).isSameAs(fresh);
    }

    @Test
    void aPromptPrefixGoesBackToTheBackendThatServedIt() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        Route.Choice first = choose(route, call("radiology", "first question"));
        Backend home = first.order().getFirst();
        Backend other = home == a ? b : a;
        assertThat(first.decision()).isEqualTo(Decision.IN_FLIGHT);
        // home now has one call in flight, the other none: the prefix still wins
        Route.Choice second = choose(route, call("radiology", "second question"));
        assertThat(second.order().getFirst()).isSameAs(home);
        assertThat(second.decision()).isEqualTo(Decision.AFFINITY);
        // another department's prompt is not drawn there
        Route.Choice third = choose(route, call("cardiology", "a question"));
        assertThat(third.order().getFirst()).isSameAs(other);
        assertThat(third.decision()).isEqualTo(Decision.IN_FLIGHT);
    }

    @Test
    void affinityGivesWayWhenItsBackendIsLoadedWellBeyondTheOthers() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        a.prefixes().served(call("oncology", "earlier"));
        busy(a, 2); // (2+1) <= 1.5 * (0+1) + 1? no: 3 > 2.5
        Route.Choice c = choose(route, call("oncology", "now"));
        assertThat(c.order().getFirst()).isSameAs(b);
        assertThat(c.decision()).isEqualTo(Decision.AFFINITY_OVERLOADED);
        // b served it now as well: both hold the prefix, and the less loaded of them wins
        Route.Choice d = choose(route, call("oncology", "later"));
        assertThat(d.order().getFirst()).isSameAs(b);
        assertThat(d.decision()).isEqualTo(Decision.AFFINITY);
    }

    @Test
    void affinityHoldsWithinTheLoadFactor() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        a.prefixes().served(call("icu", "earlier"));
        busy(a, 5);
        busy(b, 3); // a: 6 <= 1.5 * 4 + 1 = 7
        Route.Choice c = choose(route, call("icu", "now"));
        assertThat(c.order().getFirst()).isSameAs(a);
        assertThat(c.decision()).isEqualTo(Decision.AFFINITY);
    }

    @Test
    void theLongestMatchingPrefixWins() {
        Backend a = f.backend(1, 64);
        Backend b = f.backend(1, 64);
        Route route = f.route(Balancer.INFERENCE);
        String record = "Patient record 4711: " + "history ".repeat(200);
        a.prefixes().served(call("surgery", "something else entirely " + "z".repeat(2000)));
        b.prefixes().served(call("surgery", record));
        Route.Choice c = choose(route, call("surgery", record + " follow-up"));
        assertThat(c.order().getFirst()).isSameAs(b);
        assertThat(c.decision()).isEqualTo(Decision.AFFINITY);
    }
}
