package org.atrium.gateway.telemetry.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.atrium.gateway.telemetry.MutableClock;
import org.atrium.gateway.telemetry.alert.AlertEvent.Type;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.BackendState;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.RouteLatency;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.TenantState;
import org.atrium.model.AlertInfo;
import org.atrium.model.GpuSample;
import org.junit.jupiter.api.Test;

class AlertEngineTest {
    private final MutableClock clock = MutableClock.at("2026-11-22T02:00:00Z");
    private final InMemoryAlertStore store = new InMemoryAlertStore();
    private final List<AlertEvent> heard = new ArrayList<>();
    private AlertEngine engine = engine(AlertRulesConfig.defaults());

    private AlertEngine engine(AlertRulesConfig config) {
        AlertEngine e = new AlertEngine(config, store, clock);
        e.addListener(heard::add);
        return e;
    }

    /** Evaluates once a second for {@code seconds}; returns the events. */
    private List<AlertEvent> run(int seconds, Supplier<TelemetrySnapshot> snapshot) {
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            clock.advanceSeconds(1);
            events.addAll(engine.evaluate(snapshot.get()));
        }
        return events;
    }

    private TelemetrySnapshot gpus(GpuSample... g) {
        return new TelemetrySnapshot(clock.instant(), List.of(g), null, null, null, null, null);
    }

    private static GpuSample gpu(double memUsed, double temp, boolean stale) {
        return new GpuSample("gpu-node-01", 1, "NVIDIA A100-SXM4-80GB", 90.0, memUsed, 100.0, temp, 300.0, "dcgm", stale);
    }

    private TelemetrySnapshot backend(boolean up, String circuit) {
        return new TelemetrySnapshot(clock.instant(), null, List.of(new BackendState("chat", "http://10.0.0.7:8000", up,
                circuit)), null, null, null, null);
    }

    private TelemetrySnapshot tenant(long requests, long errors, Double quota) {
        return new TelemetrySnapshot(clock.instant(), null, null, List.of(new TenantState("radiology", requests, errors,
                quota)), null, null, null);
    }

    private TelemetrySnapshot route(String route, double p99, long requests) {
        return new TelemetrySnapshot(clock.instant(), null, null, null, List.of(new RouteLatency(route, p99, requests)),
                null, null);
    }

    private TelemetrySnapshot infra(Boolean redis, Double diskFree) {
        return new TelemetrySnapshot(clock.instant(), null, null, null, null, redis, diskFree);
    }

    private static List<Type> types(List<AlertEvent> events) {
        return events.stream().map(AlertEvent::type).toList();
    }

    @Test
    void gpuMemoryFiresAfterAMinuteOnceAndResolvesOnce() {
        assertThat(run(59, () -> gpus(gpu(97, 60, false)))).isEmpty();
        List<AlertEvent> fired = run(30, () -> gpus(gpu(97, 60, false)));
        assertThat(types(fired)).containsExactly(Type.FIRED);
        AlertInfo a = fired.get(0).alert();
        assertThat(a.id()).isEqualTo("gpu_memory:gpu-node-01:1");
        assertThat(a.rule()).isEqualTo("gpu_memory");
        assertThat(a.subject()).isEqualTo("gpu-node-01:1");
        assertThat(a.message()).contains("97.0 %").contains("GPU 1 on gpu-node-01");
        assertThat(a.firedAt()).isEqualTo(java.time.Instant.parse("2026-11-22T02:01:01Z")); // first seen 02:00:01 + 60 s
        assertThat(a.active()).isTrue();

        // Within the hysteresis margin (95 - 2): still an incident, nothing new.
        assertThat(run(120, () -> gpus(gpu(94, 60, false)))).isEmpty();
        assertThat(run(29, () -> gpus(gpu(50, 60, false)))).isEmpty();
        List<AlertEvent> resolved = run(60, () -> gpus(gpu(50, 60, false)));
        assertThat(types(resolved)).containsExactly(Type.RESOLVED);
        assertThat(resolved.get(0).alert().id()).isEqualTo(a.id());
        assertThat(resolved.get(0).alert().resolvedAt()).isNotNull();
        assertThat(engine.active()).isEmpty();
        assertThat(store.history(10)).singleElement().satisfies(h -> assertThat(h.active()).isFalse());
    }

    @Test
    void flappingAroundTheThresholdNeverFires() {
        int[] n = {0};
        assertThat(run(600, () -> gpus(gpu(n[0]++ % 20 == 0 ? 90 : 96, 60, false)))).isEmpty();
    }

    @Test
    void gpuTemperatureFiresAndStaleSamplesNeitherFireNorResolve() {
        assertThat(run(120, () -> gpus(gpu(10, 90, true)))).as("stale data is not judged").isEmpty();
        assertThat(types(run(61, () -> gpus(gpu(10, 90, false))))).containsExactly(Type.FIRED);
        assertThat(engine.active()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("gpu_temperature");
            assertThat(a.severity()).isEqualTo("critical");
        });
        assertThat(run(300, () -> gpus(gpu(10, 40, true)))).as("node unreachable: keep the alert").isEmpty();
        assertThat(types(run(31, () -> gpus(gpu(10, 40, false))))).containsExactly(Type.RESOLVED);
    }

    @Test
    void backendDownAfterTenSecondsAndCircuitOpenAtOnce() {
        assertThat(run(10, () -> backend(false, "closed"))).isEmpty();
        assertThat(run(1, () -> backend(false, "closed"))).extracting(e -> e.alert().rule()).containsExactly("backend_down");

        List<AlertEvent> open = run(1, () -> backend(false, "OPEN"));
        assertThat(open).extracting(e -> e.alert().rule()).containsExactly("circuit_open");
        assertThat(open.get(0).alert().id()).startsWith("circuit_open:chat:http:__10.0.0.7:8000~")
                .matches("[A-Za-z0-9._:~-]+");
        assertThat(run(120, () -> backend(true, "half_open"))).extracting(e -> e.alert().rule())
                .as("half-open proves nothing about the circuit").containsExactly("backend_down");
        assertThat(run(31, () -> backend(true, "closed"))).extracting(e -> e.alert().rule())
                .containsExactly("circuit_open");
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void removedBackendResolvesItsAlert() {
        run(11, () -> backend(false, null));
        assertThat(engine.active()).hasSize(1);
        assertThat(types(run(31, () -> infra(null, null)))).containsExactly(Type.RESOLVED);
    }

    @Test
    void errorRateNeedsEnoughCallsAndResolvesBelowTheClearLevel() {
        assertThat(run(30, () -> tenant(10, 9, null))).as("too few calls to judge").isEmpty();
        List<AlertEvent> fired = run(1, () -> tenant(200, 12, null));
        assertThat(fired).singleElement().satisfies(e -> {
            assertThat(e.alert().id()).isEqualTo("error_rate:radiology");
            assertThat(e.alert().message()).contains("6.0 %").contains("200 calls");
        });
        assertThat(run(100, () -> tenant(200, 9, null))).as("4.5 % is above the clear level of 4 %").isEmpty();
        assertThat(types(run(31, () -> tenant(200, 2, null)))).containsExactly(Type.RESOLVED);
    }

    @Test
    void quotaAtNinetyPercentFires() {
        assertThat(run(5, () -> tenant(0, 0, 89.9))).isEmpty();
        assertThat(run(5, () -> tenant(0, 0, 90.0))).extracting(e -> e.alert().id()).containsExactly("quota:radiology");
        // Quota counters reset at midnight.
        assertThat(types(run(31, () -> tenant(0, 0, 0.0)))).containsExactly(Type.RESOLVED);
    }

    @Test
    void p99OverThresholdSustainedWithPerRouteOverride() {
        engine = engine(new AlertRulesConfig(null, null, null, null, null, null, null, null, null,
                Duration.ofSeconds(30), Map.of("ocr", Duration.ofSeconds(2)), 20L, Duration.ofSeconds(60), null, null,
                null, null));
        assertThat(run(120, () -> route("chat", 25_000, 500))).isEmpty();
        assertThat(run(120, () -> route("ocr", 2_500, 5))).as("too few calls").isEmpty();
        assertThat(run(60, () -> route("ocr", 2_500, 50))).isEmpty();
        assertThat(run(1, () -> route("ocr", 2_500, 50))).extracting(e -> e.alert().id()).containsExactly("latency_p99:ocr");
        assertThat(types(run(31, () -> route("ocr", 500, 50)))).containsExactly(Type.RESOLVED);
    }

    @Test
    void redisUnreachableAndDiskNearlyFull() {
        assertThat(run(60, () -> infra(null, 50.0))).as("no Redis configured, disk fine").isEmpty();
        List<AlertEvent> events = run(6, () -> infra(false, 4.0));
        assertThat(events).extracting(e -> e.alert().id()).containsExactly("disk_low:data-dir", "redis_unreachable:redis");
        assertThat(run(60, () -> infra(false, 5.5))).as("disk within margin, redis still down").isEmpty();
        assertThat(run(31, () -> infra(true, 7.0))).extracting(e -> e.alert().id())
                .containsExactlyInAnyOrder("disk_low:data-dir", "redis_unreachable:redis");
    }

    @Test
    void acknowledgeIsKeptAndPublished() {
        run(11, () -> backend(false, null));
        String id = engine.active().get(0).id();

        assertThat(engine.acknowledge(id)).hasValueSatisfying(a -> assertThat(a.acknowledged()).isTrue());
        assertThat(engine.acknowledge("no-such-alert")).isEmpty();
        assertThat(engine.active().get(0).acknowledged()).isTrue();
        assertThat(store.active().get(0).acknowledged()).isTrue();
        assertThat(heard).extracting(AlertEvent::type).containsExactly(Type.FIRED, Type.ACKNOWLEDGED);

        List<AlertEvent> resolved = run(31, () -> backend(true, null));
        assertThat(resolved.get(0).alert().acknowledged()).isTrue();
    }

    @Test
    void aRestartAdoptsActiveAlertsInsteadOfFiringAgain() {
        run(11, () -> backend(false, null));
        engine = engine(AlertRulesConfig.defaults());
        heard.clear();

        assertThat(run(60, () -> backend(false, null))).isEmpty();
        assertThat(engine.active()).hasSize(1);
        assertThat(types(run(31, () -> backend(true, null)))).containsExactly(Type.RESOLVED);
        assertThat(store.history(10)).hasSize(1);
    }

    @Test
    void sameConditionLaterIsANewOccurrenceWithTheSameId() {
        run(11, () -> backend(false, null));
        run(31, () -> backend(true, null));
        run(11, () -> backend(false, null));

        List<AlertInfo> history = store.history(10);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).id()).isEqualTo(history.get(1).id()).startsWith("backend_down:chat:http:__10.0.0.7:8000~");
        assertThat(history.get(0).firedAt()).isAfter(history.get(1).firedAt());
        assertThat(store.history(10).get(0).active()).isTrue();
        assertThat(store.history(10).get(1).active()).isFalse();
    }

    @Test
    void aThrowingListenerDoesNotStopOthers() {
        List<AlertEvent> second = new ArrayList<>();
        engine.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        engine.addListener(second::add);
        run(11, () -> backend(false, null));
        assertThat(second).hasSize(1);
    }

    @Test
    void disabledRulesAndConfigValidation() {
        engine = engine(new AlertRulesConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, Set.of("backend-down")));
        assertThat(run(60, () -> backend(false, null))).isEmpty();

        engine = engine(new AlertRulesConfig(false, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null));
        assertThat(run(60, () -> infra(false, 1.0))).isEmpty();

        assertThatThrownBy(() -> new AlertRulesConfig(null, 120.0, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlertRulesConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, Set.of("nonsense"))).isInstanceOf(IllegalArgumentException.class);
        AlertRulesConfig d = AlertRulesConfig.defaults();
        assertThat(d.gpuMemoryPercent()).isEqualTo(95.0);
        assertThat(d.gpuTemperatureC()).isEqualTo(85.0);
        assertThat(d.gpuSustain()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.errorRatePercent()).isEqualTo(5.0);
        assertThat(d.quotaPercent()).isEqualTo(90.0);
        assertThat(d.diskFreePercent()).isEqualTo(5.0);
    }

    @Test
    void storeIsBoundedAndEvictsResolvedFirst() {
        InMemoryAlertStore small = new InMemoryAlertStore(2);
        var t = clock.instant();
        small.save(new AlertInfo("a", "r", "warning", "s", "m", t, null, false));
        small.save(new AlertInfo("b", "r", "warning", "s", "m", t.plusSeconds(1), t.plusSeconds(2), false));
        small.save(new AlertInfo("c", "r", "warning", "s", "m", t.plusSeconds(3), null, false));
        assertThat(small.history(10)).extracting(AlertInfo::id).containsExactly("c", "a");
        assertThat(small.active()).hasSize(2);
    }
}
