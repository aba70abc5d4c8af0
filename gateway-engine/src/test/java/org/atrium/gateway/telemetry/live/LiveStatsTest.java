package org.atrium.gateway.telemetry.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.atrium.gateway.telemetry.MutableClock;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.RouteLatency;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.TenantState;
import org.atrium.gateway.telemetry.collect.EngineKind;
import org.atrium.gateway.telemetry.collect.EngineStats;
import org.atrium.model.BackendLive;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;
import org.junit.jupiter.api.Test;

class LiveStatsTest {
    private final MutableClock clock = MutableClock.at("2026-11-22T09:00:00.200Z");
    private final LiveStats stats = new LiveStats(clock);

    private TenantLive tenant(String id) {
        return stats.tenants(Set.of(), TenantGauges.NONE).stream().filter(t -> t.tenant().equals(id)).findFirst()
                .orElseThrow();
    }

    @Test
    void ratesCoverTheLastCompleteSecondAndPercentilesTheLastTen() {
        for (int i = 1; i <= 100; i++) {
            stats.record("radiology", "chat", "http://10.0.0.7:8000", i <= 97 ? 200 : 502, i * 10L, 50);
        }
        stats.record("radiology", "chat", "http://10.0.0.7:8000", 429, 1, 0);
        assertThat(tenant("radiology").requestsPerSec()).as("second not complete yet").isZero();

        clock.advance(Duration.ofMillis(900));
        TenantLive t = tenant("radiology");
        assertThat(t.requestsPerSec()).isEqualTo(101.0);
        assertThat(t.tokensPerSec()).isEqualTo(5000.0);
        assertThat(t.errors()).as("5xx only; 429 is the client's").isEqualTo(3);
        assertThat(t.p50Ms()).isCloseTo(500, within(100.0));
        assertThat(t.p99Ms()).isCloseTo(990, within(200.0));

        clock.advanceSeconds(5);
        assertThat(tenant("radiology").requestsPerSec()).isZero();
        assertThat(tenant("radiology").p99Ms()).isGreaterThan(0);
        clock.advanceSeconds(10);
        assertThat(tenant("radiology").p99Ms()).isZero();
    }

    @Test
    void errorWindowForAlertsSpansFiveMinutes() {
        for (int s = 0; s < 100; s++) {
            stats.record("icu", "chat", "b", s % 10 == 0 ? 503 : 200, 100, 10);
            stats.record("icu", "chat", "b", 200, 100, 10);
            clock.advanceSeconds(1);
        }
        assertThat(stats.tenantWindows(new TenantGauges() {
            @Override
            public Double quotaUsedPercent(String tenant) {
                return 42.0;
            }
        })).containsExactly(new TenantState("icu", 200, 10, 42.0));

        clock.advanceSeconds(250);
        assertThat(stats.tenantWindows(TenantGauges.NONE).get(0).requests()).isBetween(1L, 199L);
        clock.advanceSeconds(100);
        assertThat(stats.tenantWindows(TenantGauges.NONE).get(0).requests()).isZero();
    }

    @Test
    void routeP99ForAlerts() {
        for (int i = 0; i < 99; i++) {
            stats.record("t", "ocr", "b", 200, 200, 0);
        }
        stats.record("t", "ocr", "b", 200, 45_000, 0);
        stats.record("t", "ocr", "b", 200, 45_000, 0);
        clock.advanceSeconds(1);

        RouteLatency r = stats.routeLatencies().get(0);
        assertThat(r.route()).isEqualTo("ocr");
        assertThat(r.requests()).isEqualTo(101);
        assertThat(r.p99Ms()).isCloseTo(45_000, within(9_000.0));
    }

    @Test
    void backendsListConfiguredOnesWithGaugesAndEngineStats() {
        stats.record("t", "chat", "http://a:8000", 200, 300, 10);
        stats.record("t", "chat", "http://a:8000", 200, 300, 10);
        stats.record("t", "chat", "http://a:8000", 200, 300, 10);
        stats.record("t", "chat", "http://b:8000", 502, 10, 0);
        stats.record("t", "ocr", "http://c:9000", 200, 10, 0);
        clock.advanceSeconds(1);
        BackendGauges gauges = new BackendGauges() {
            @Override
            public boolean up(String route, String backend) {
                return backend.contains("a:");
            }

            @Override
            public int inFlight(String route, String backend) {
                return 4;
            }

            @Override
            public String circuit(String route, String backend) {
                return "closed";
            }

            @Override
            public double tokensPerSecond(String route, String backend) {
                return backend.contains("a:") ? 38.5 : Double.NaN;
            }

            @Override
            public Optional<EngineStats> engine(String route, String backend) {
                return backend.contains("a:") ? Optional.of(new EngineStats(route, backend, EngineKind.VLLM, 42.0, 7, 2,
                        Instant.EPOCH, false)) : Optional.empty();
            }
        };
        List<BackendLive> rows = stats.backends(List.of(new BackendRef("chat", "http://a:8000"),
                new BackendRef("chat", "http://b:8000")), gauges);

        assertThat(rows).extracting(BackendLive::backend).containsExactly("http://a:8000", "http://b:8000", "http://c:9000");
        assertThat(rows.get(2).sharePercent()).as("alone on its route").isEqualTo(100.0);
        assertThat(rows.get(0)).satisfies(b -> {
            assertThat(b.up()).isTrue();
            assertThat(b.p99Ms()).isCloseTo(300, within(60.0));
            assertThat(b.kvCachePercent()).isEqualTo(42.0);
            assertThat(b.running()).isEqualTo(7);
            assertThat(b.inFlight()).isEqualTo(4);
            assertThat(b.sharePercent()).as("3 of the route's 4 calls").isEqualTo(75.0);
            assertThat(b.tokensPerSecond()).isEqualTo(38.5);
        });
        assertThat(rows.get(1)).satisfies(b -> {
            assertThat(b.up()).isFalse();
            assertThat(b.kvCachePercent()).isNull();
            assertThat(b.sharePercent()).isEqualTo(25.0);
            assertThat(b.tokensPerSecond()).isNull();
        });
    }

    @Test
    void keysAreCappedAndIdleOnesForgotten() {
        LiveStats small = new LiveStats(clock, 3);
        for (int i = 0; i < 50; i++) {
            small.record("tenant-" + i, "route-" + i, "b", 200, 10, 1);
        }
        clock.advanceSeconds(1);
        List<TenantLive> rows = small.tenants(Set.of("quiet-dept"), TenantGauges.NONE);
        assertThat(rows).extracting(TenantLive::tenant).contains(LiveStats.OTHER, "quiet-dept").hasSize(5);
        assertThat(rows.stream().mapToDouble(TenantLive::requestsPerSec).sum()).isEqualTo(50.0);
        assertThat(small.keyCount()).isLessThanOrEqualTo(3 * 3 + 3);

        clock.advance(Duration.ofMinutes(11));
        assertThat(small.tenants(Set.of(), TenantGauges.NONE)).isEmpty();
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    stats.record("lab", "chat", "b", 200, i % 500, 1);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        clock.advanceSeconds(1);
        assertThat(tenant("lab").requestsPerSec()).isEqualTo(80_000.0);
    }

    @Test
    void histogramIsWithinTwentyPercentAcrossScales() {
        int[] counts = new int[LatencyBuckets.COUNT];
        for (int v = 1; v <= 100_000; v++) {
            counts[LatencyBuckets.index(v)]++;
        }
        assertThat(LatencyBuckets.quantile(counts, 0.5)).isCloseTo(50_000, within(10_000.0));
        assertThat(LatencyBuckets.quantile(counts, 0.99)).isCloseTo(99_000, within(19_800.0));
        assertThat(LatencyBuckets.index(0)).isZero();
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
        assertThat(LatencyBuckets.COUNT).isLessThan(100);
    }

    @Test
    void historyKeepsTheLastTenMinutes() {
        LiveHistory history = new LiveHistory();
        for (int i = 0; i < 700; i++) {
            history.add(new LiveFrame(Instant.EPOCH.plusSeconds(i), null, null, null, null));
        }
        assertThat(history.size()).isEqualTo(600);
        assertThat(history.recent().get(0).at()).isEqualTo(Instant.EPOCH.plusSeconds(100));
        assertThat(history.recent().get(599).at()).isEqualTo(Instant.EPOCH.plusSeconds(699));
    }
}
