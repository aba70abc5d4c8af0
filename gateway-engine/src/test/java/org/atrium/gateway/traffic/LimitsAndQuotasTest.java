package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atrium.gateway.traffic.TrafficTesting.chat;
import static org.atrium.gateway.traffic.TrafficTesting.code;
import static org.atrium.gateway.traffic.TrafficTesting.parallel;
import static org.atrium.gateway.traffic.TrafficTesting.tenant;
import static org.atrium.gateway.traffic.TrafficTesting.token;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.UsageRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Tenant/user rates, concurrency, daily request and token quotas, streamed-token accounting, through sockets. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsAndQuotasTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    // 23:58 local: the midnight reset is two minutes away.
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-10T15:58:00Z"));
    static StubBackend fast;
    static StubBackend slow;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        fast = StubBackend.openAi();
        slow = new StubBackend((req, res) -> {
            Thread.sleep(400);
            StubBackend.openAiHandler(req, res);
        });
        gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\n"
                + "  user_max_concurrent: 0\n  timezone: Asia/Shanghai\n"
                + "routes:\n" + TestGateway.route("fast", fast.url()) + TestGateway.route("slow", slow.url()),
                CLOCK, Map.of());
        var store = gw.server().store();
        store.putTenant(tenant("rate", null, null, 60, 2, null, null, null, null, null, null));
        store.putTenant(tenant("urate", null, null, null, null, 60, 1, null, null, null, null));
        store.putTenant(tenant("conc", null, null, null, null, null, null, 2, null, null, null));
        store.putTenant(tenant("uconc", null, null, null, null, null, null, null, 1, null, null));
        store.putTenant(tenant("quota", null, null, null, null, null, null, null, null, 10L, null));
        store.putTenant(tenant("tokq", null, null, null, null, null, null, null, null, null, 30L));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        fast.close();
        slow.close();
    }

    static void assert429(HttpResponse<String> r, String code) {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(code(r)).isEqualTo(code);
        assertThat(r.headers().firstValue("retry-after")).isPresent();
        assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isPositive();
    }

    @Test
    @Order(1)
    void tenantRateWithBurstThenRefillByClock() {
        assertThat(chat(gw, token(CLOCK, "a", "rate", "fast"), "fast", null).statusCode()).isEqualTo(200);
        assertThat(chat(gw, token(CLOCK, "b", "rate", "fast"), "fast", null).statusCode()).isEqualTo(200);
        HttpResponse<String> third = chat(gw, token(CLOCK, "c", "rate", "fast"), "fast", null);
        assert429(third, "RATE_LIMITED");
        assertThat(third.headers().firstValue("retry-after")).hasValue("1");
        CLOCK.advance(Duration.ofSeconds(1)); // 60/min refills one call a second
        assertThat(chat(gw, token(CLOCK, "c", "rate", "fast"), "fast", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void userRateIsPerUser() {
        assertThat(chat(gw, token(CLOCK, "u1", "urate", "fast"), "fast", null).statusCode()).isEqualTo(200);
        assert429(chat(gw, token(CLOCK, "u1", "urate", "fast"), "fast", null), "RATE_LIMITED");
        assertThat(chat(gw, token(CLOCK, "u2", "urate", "fast"), "fast", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void tenantAndUserConcurrency() throws Exception {
        int[] n = {0};
        List<HttpResponse<String>> tenantCalls = parallel(4, () -> {
            String user;
            synchronized (n) {
                user = "t" + n[0]++;
            }
            return chat(gw, token(CLOCK, user, "conc", "slow"), "slow", null);
        });
        assertThat(tenantCalls.stream().filter(r -> r.statusCode() == 200)).hasSize(2);
        tenantCalls.stream().filter(r -> r.statusCode() != 200).forEach(r -> assert429(r, "RATE_LIMITED"));

        String same = token(CLOCK, "solo", "uconc", "slow");
        List<HttpResponse<String>> userCalls = parallel(3, () -> chat(gw, same, "slow", null));
        assertThat(userCalls.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
        userCalls.stream().filter(r -> r.statusCode() != 200).forEach(r -> assert429(r, "RATE_LIMITED"));
        // slots are given back when calls end
        assertThat(chat(gw, same, "slow", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void tokenQuotaCountsStreamedAnswersAndUsageLandsInTheStore() throws Exception {
        String t = token(CLOCK, "writer", "tokq", "fast");
        assertThat(chat(gw, t, "fast", null).statusCode()).isEqualTo(200); // 11 + 7 tokens
        HttpResponse<String> streamed = chat(gw, t, "fast", "\"stream\":true"); // 11 + 5 tokens, from the SSE usage chunk
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("data: [DONE]");
        HttpResponse<String> over = chat(gw, t, "fast", null); // 34 of 30 used
        assert429(over, "QUOTA_EXCEEDED");

        // Usage is recorded just after the answer went out: wait for the last call's row.
        LocalDate day = LocalDate.now(CLOCK.withZone(ZONE));
        List<UsageRow> rows = List.of();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            gw.server().usage().flush();
            rows = gw.server().store().usage(day, day, "tokq");
            if (rows.size() == 1 && rows.getFirst().requests() == 3) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(rows).hasSize(1);
        UsageRow row = rows.getFirst();
        assertThat(row.user()).isEqualTo("writer");
        assertThat(row.route()).isEqualTo("fast");
        assertThat(row.requests()).isEqualTo(3);
        assertThat(row.errors()).isEqualTo(1);
        assertThat(row.promptTokens()).isEqualTo(22);
        assertThat(row.completionTokens()).isEqualTo(12);
        assertThat(row.gpuSeconds()).isPositive();
    }

    @Test
    @Order(5)
    void requestQuotaNeverOvershootsAndResetsAtLocalMidnight() throws Exception {
        String t = token(CLOCK, "batch", "quota", "fast");
        List<HttpResponse<String>> answers = parallel(100, () -> chat(gw, t, "fast", null));
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(10);
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != 200).toList();
        assertThat(refused).hasSize(90);
        refused.forEach(r -> assert429(r, "QUOTA_EXCEEDED"));
        // Retry-After points at local midnight, under two minutes away
        long retry = Long.parseLong(refused.getFirst().headers().firstValue("retry-after").orElseThrow());
        assertThat(retry).isBetween(1L, 120L);

        CLOCK.advance(Duration.ofSeconds(retry));
        String fresh = token(CLOCK, "batch", "quota", "fast");
        assertThat(chat(gw, fresh, "fast", null).statusCode()).isEqualTo(200);
        assertThat(gw.server().traffic().stats().get("quota.requests")).isGreaterThanOrEqualTo(90);
    }
}
