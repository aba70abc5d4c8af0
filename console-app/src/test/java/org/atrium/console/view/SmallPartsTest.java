package org.atrium.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.atrium.console.Frames;
import org.atrium.console.client.Backoff;
import org.atrium.console.view.tenants.TenantForm;
import org.atrium.console.view.tenants.TenantForm.Field;
import org.atrium.model.LiveFrame;
import org.atrium.model.ValidationException;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
    @Test
    void ringSeriesKeepsTheNewestPoints() {
        RingSeries r = new RingSeries(3);
        for (int i = 1; i <= 5; i++) {
            r.add(i, i * 10);
        }
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.ySnapshot()).containsExactly(30, 40, 50);
        assertThat(r.x(0)).isEqualTo(3);
        assertThat(r.lastY()).isEqualTo(50);
        assertThat(r.maxY()).isEqualTo(50);
    }

    @Test
    void liveHubHandsFramesToTheUiInOneBatch() {
        List<Runnable> uiQueue = new ArrayList<>();
        Executor ui = uiQueue::add;
        LiveHub hub = new LiveHub(ui);
        List<Integer> batches = new ArrayList<>();
        hub.addSink(b -> batches.add(b.size()));
        for (LiveFrame f : Frames.history(Instant.parse("2026-11-22T08:00:00Z"), 50)) {
            hub.onFrame(f);
        }
        assertThat(uiQueue).hasSize(1); // one drain scheduled however many frames arrived
        uiQueue.remove(0).run();
        assertThat(batches).containsExactly(50);
        assertThat(hub.latestProperty().get()).isNotNull();
    }

    @Test
    void liveHubDropsTheOldestWhenTheUiFallsBehind() {
        List<Runnable> uiQueue = new ArrayList<>();
        LiveHub hub = new LiveHub(uiQueue::add);
        List<Integer> batches = new ArrayList<>();
        hub.addSink(b -> batches.add(b.size()));
        for (LiveFrame f : Frames.history(Instant.parse("2026-11-22T08:00:00Z"), 2000)) {
            hub.onFrame(f);
        }
        uiQueue.remove(0).run();
        assertThat(batches).containsExactly(LiveHub.MAX_PENDING);
    }

    @Test
    void backoffGrowsToItsCapAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);
        assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(1000));
        for (int i = 0; i < 20; i++) {
            b.next();
        }
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(30));
        b.reset();
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0).next()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void tenantFormChecksEachFieldInline() {
        assertThat(TenantForm.check(Field.ID, "cardiology")).isEmpty();
        assertThat(TenantForm.check(Field.ID, "心内科")).contains("validation.tenantId");
        assertThat(TenantForm.check(Field.WEIGHT, "")).contains("validation.required");
        assertThat(TenantForm.check(Field.WEIGHT, "0")).contains("validation.range");
        assertThat(TenantForm.check(Field.RPM, "")).isEmpty();
        assertThat(TenantForm.check(Field.RPM, "12x")).contains("validation.number");
        var spec = TenantForm.toSpec("cardio", "心内科", true, "3", null, "600", "", "", "", "1000", "0", "ocr, qwen2.5-72b");
        assertThat(spec.allowedRoutes()).containsExactly("ocr", "qwen2.5-72b");
        assertThat(spec.burst()).isNull();
        assertThatThrownBy(() -> TenantForm.toSpec("x", "", true, "1", null, "abc", "", "", "", "", "", ""))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws Exception {
        Properties en = load("messages_en.properties");
        Properties zh = load("messages_zh_CN.properties");
        assertThat(zh.keySet()).isEqualTo(en.keySet());
        assertThat(zh.getProperty("nav.tenants")).isEqualTo("科室");
    }

    @Test
    void everyGatewayErrorCodeAndAlertRuleReadsInBothLanguages() throws Exception {
        for (Properties p : List.of(load("messages_en.properties"), load("messages_zh_CN.properties"))) {
            for (org.atrium.model.ErrorCode c : org.atrium.model.ErrorCode.values()) {
                assertThat(p).as(c.name()).containsKey("error." + c.name());
            }
        }
        Messages zh = new Messages(Locale.SIMPLIFIED_CHINESE);
        // by code, not by the gateway's English text
        assertThat(zh.describe(new Problem("QUOTA_EXCEEDED", "Daily quota exceeded", null))).startsWith("每日配额已用完");
        var alert = new org.atrium.model.AlertInfo("x", "gpu_temperature", "critical", "gpu-a:3", "GPU 3 at 91 °C", null, null, false);
        assertThat(org.atrium.console.view.widgets.AlertTexts.describe(alert, zh)).isEqualTo("GPU 温度过高：gpu-a:3");
        assertThat(org.atrium.console.view.widgets.AlertTexts.describe(alert, new Messages(Locale.ENGLISH))).isEqualTo("GPU 3 at 91 °C");
    }

    @Test
    void messagesFollowTheLocaleAndFallBackToEnglish() {
        assertThat(new Messages(Locale.forLanguageTag("zh-Hans-CN")).get("nav.bans")).isEqualTo("封禁");
        assertThat(new Messages(Locale.GERMANY).get("nav.bans")).isEqualTo("Bans");
        assertThat(new Messages(Locale.ENGLISH).get("no.such.key")).isEqualTo("no.such.key");
        Messages m = new Messages(Locale.ENGLISH);
        assertThat(m.describe(new Problem("WEIRD_CODE", "something odd", null))).isEqualTo("something odd (WEIRD_CODE)");
        assertThat(m.describe(new Problem("VALIDATION_FAILED", "weight: must be between 1 and 1000", "weight")))
                .startsWith("Field “weight”").endsWith("(VALIDATION_FAILED)");
    }

    @Test
    void formatsDurationsForPeople() {
        Formats f = new Formats(new Messages(Locale.ENGLISH), java.time.ZoneOffset.UTC);
        assertThat(f.remaining(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(f.remaining(null)).isEqualTo("until removed");
        assertThat(f.remaining(Duration.ofMinutes(60))).isEqualTo("1 h");
        // one formatter per locale: grouped whole numbers, never "10.0k" next to "3581"
        assertThat(f.number(12_345)).isEqualTo("12,345");
        assertThat(f.number(3581)).isEqualTo("3,581");
        assertThat(f.number(2.25)).isEqualTo("2.3");
        assertThat(f.number(71, "°C")).isEqualTo("71 °C");
        assertThat(f.number(Double.NaN)).isEqualTo("–");
        assertThat(f.time(Instant.parse("2026-11-22T08:00:05Z"))).isEqualTo("8:00:05\u202fAM");
        Formats zh = new Formats(new Messages(Locale.SIMPLIFIED_CHINESE), java.time.ZoneId.of("Asia/Shanghai"));
        assertThat(zh.time(Instant.parse("2026-11-22T08:00:05Z"))).isEqualTo("16:00:05");
        assertThat(zh.number(1_234_567)).isEqualTo("1.2M");
    }

    @Test
    void ringSeriesOnlyMovesForwardAndBreaksAtGaps() {
        RingSeries r = new RingSeries(10);
        assertThat(r.add(100, 1)).isTrue();
        assertThat(r.add(101, 2)).isTrue();
        assertThat(r.add(101, 9)).isFalse();   // duplicate time: refused
        assertThat(r.add(99, 9)).isFalse();    // back in time: refused
        assertThat(r.add(110, 3)).isTrue();    // 9 s later: an outage
        assertThat(r.size()).isEqualTo(4);
        assertThat(r.x(2)).isEqualTo(102);
        assertThat(r.y(2)).isNaN();            // the gap stays a gap
        assertThat(r.x(3)).isEqualTo(110);
    }

    @Test
    void liveHubMergesAReplayedHistoryByTimestamp() {
        List<Runnable> uiQueue = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                Instant.parse("2026-11-22T08:00:10Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId z) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        LiveHub hub = new LiveHub(uiQueue::add, clock);
        List<Instant> seen = new ArrayList<>();
        hub.addSink(b -> b.forEach(f -> seen.add(f.at())));
        Instant t = Instant.parse("2026-11-22T08:00:00Z");
        assertThat(hub.staleProperty().get()).isTrue(); // nothing yet
        hub.onState(org.atrium.console.client.ConnectionState.CONNECTED, null);
        Frames.history(t.plusSeconds(9), 10).forEach(hub::onFrame);
        while (!uiQueue.isEmpty()) {
            uiQueue.remove(0).run();
        }
        assertThat(hub.staleProperty().get()).isFalse();
        // reconnect: the gateway replays its history, overlapping what we have, then goes on
        hub.onState(org.atrium.console.client.ConnectionState.RETRYING, "connection refused");
        uiQueue.remove(0).run();
        assertThat(hub.staleProperty().get()).isTrue();
        assertThat(hub.lastDataProperty().get()).isEqualTo(t.plusSeconds(9));
        hub.onState(org.atrium.console.client.ConnectionState.CONNECTED, null);
        Frames.history(t.plusSeconds(14), 15).forEach(hub::onFrame);
        while (!uiQueue.isEmpty()) {
            uiQueue.remove(0).run();
        }
        assertThat(seen).hasSize(15).doesNotHaveDuplicates().isSorted();
        // connected but silent for longer than STALE_AFTER: stale again
        now.set(now.get().plus(LiveHub.STALE_AFTER).plusSeconds(1));
        hub.tick();
        assertThat(hub.staleProperty().get()).isTrue();
    }

    @Test
    void theGatewaysQuotaZoneDecidesWhatTodayIs() {
        // console on UTC at 20:00 on the 22nd; the gateway counts quotas in Shanghai, where it is the 23rd
        GatewayClock clock = new GatewayClock(java.time.Clock.fixed(Instant.parse("2026-11-22T20:00:00Z"), java.time.ZoneOffset.UTC));
        assertThat(java.time.LocalDate.now(clock)).isEqualTo(java.time.LocalDate.of(2026, 11, 22));
        clock.useGatewayZone("Asia/Shanghai");
        assertThat(java.time.LocalDate.now(clock)).isEqualTo(java.time.LocalDate.of(2026, 11, 23));
        clock.useGatewayZone("Not/AZone");
        assertThat(clock.getZone()).isEqualTo(java.time.ZoneId.of("Asia/Shanghai"));
        Formats f = new Formats(new Messages(Locale.ENGLISH), clock::getZone);
        assertThat(f.time(clock.instant())).isEqualTo("4:00:00\u202fAM");
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (var in = Messages.class.getResourceAsStream("/org/atrium/console/" + name);
             var r = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
