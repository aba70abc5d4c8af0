package org.atrium.gateway.telemetry.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.atrium.gateway.telemetry.MutableClock;
import org.atrium.gateway.telemetry.StubHttpServer;
import org.atrium.gateway.telemetry.StubHttpServer.Answer;
import org.atrium.gateway.telemetry.alert.AlertEvent;
import org.atrium.gateway.telemetry.alert.AlertEvent.Type;
import org.atrium.model.AlertInfo;
import org.atrium.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
    private static final Instant FIRED_AT = Instant.parse("2026-11-22T02:01:01Z");
    private final MutableClock clock = MutableClock.at("2026-11-22T02:05:00Z");
    private final StubHttpServer stub = new StubHttpServer();
    private WebhookNotifier notifier;

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
        stub.close();
    }

    private static AlertEvent event(Type type, String subject) {
        AlertInfo a = new AlertInfo("gpu_temperature:" + subject, "gpu_temperature", "critical", subject,
                "GPU 1 on gpu-node-01 (NVIDIA A100-SXM4-80GB) at 90 °C (limit 85 °C)", FIRED_AT,
                type == Type.RESOLVED ? FIRED_AT.plusSeconds(300) : null, false);
        return new AlertEvent(type, a);
    }

    private WebhookNotifier notifier(List<WebhookTarget> targets, int maxAttempts, int queue) {
        return new WebhookNotifier(new WebhookConfig(targets, maxAttempts, Duration.ofMillis(20), Duration.ofMillis(80),
                queue, Duration.ofSeconds(2), null), clock);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }

    /** Fails the first {@code n} requests with 503. */
    private static StubHttpServer.Handler failFirst(int n, AtomicInteger calls, String okBody) {
        return r -> calls.incrementAndGet() <= n ? Answer.status(503) : Answer.ok(okBody);
    }

    @Test
    void genericJsonIsRetriedUntilItGetsThrough() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        stub.handler("/hook", failFirst(3, calls, "ok"));
        notifier = notifier(List.of(new WebhookTarget(stub.uri("/hook"), WebhookFormat.GENERIC, null)), 6, 10);

        notifier.onAlert(event(Type.FIRED, "gpu-node-01:1"));
        await(() -> notifier.delivered() == 1);

        assertThat(calls.get()).isEqualTo(4);
        JsonNode body = json(stub.received().get(3).body());
        assertThat(body.get("event").asText()).isEqualTo("fired");
        assertThat(body.get("source").asText()).isEqualTo("atrium");
        assertThat(body.get("alert").get("id").asText()).isEqualTo("gpu_temperature:gpu-node-01:1");
        assertThat(body.get("alert").get("firedAt").asText()).isEqualTo("2026-11-22T02:01:01Z");
        assertThat(body.get("alert").has("resolvedAt")).isFalse();
        assertThat(stub.received().get(0).headers().get("Content-type").get(0)).startsWith("application/json");
        assertThat(notifier.pending()).isZero();
        assertThat(notifier.dropped()).isZero();
    }

    @Test
    void weComBodyAndErrcodeCountsAsFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // WeCom answers 200 with errcode 45009 when the robot is rate limited.
        stub.handler("/cgi-bin/webhook/send", r -> calls.incrementAndGet() == 1
                ? Answer.ok("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}")
                : Answer.ok("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        notifier = notifier(List.of(new WebhookTarget(stub.uri("/cgi-bin/webhook/send?key=secret-key"),
                WebhookFormat.WECOM, null)), 3, 10);

        notifier.onAlert(event(Type.RESOLVED, "gpu-node-01:1"));
        await(() -> notifier.delivered() == 1);

        assertThat(calls.get()).isEqualTo(2);
        StubHttpServer.Received r = stub.received().get(1);
        assertThat(r.query()).isEqualTo("key=secret-key");
        JsonNode body = json(r.body());
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.get("markdown").size()).isEqualTo(1);
        String content = body.get("markdown").get("content").asText();
        assertThat(content).contains("RESOLVED").contains("<font color=\"info\">")
                .contains("GPU 1 on gpu-node-01").contains("Fired: 2026-11-22 02:01:01")
                .contains("Resolved: 2026-11-22 02:06:01");
        assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void dingTalkBodyIsSignedWithTheSecret() throws Exception {
        stub.answer("/robot/send", Answer.ok("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        notifier = notifier(List.of(new WebhookTarget(stub.uri("/robot/send?access_token=tok"), WebhookFormat.DINGTALK,
                "SECabc123")), 3, 10);

        notifier.onAlert(event(Type.FIRED, "gpu-node-01:1"));
        await(() -> notifier.delivered() == 1);

        StubHttpServer.Received r = stub.received().get(0);
        long ts = clock.millis();
        assertThat(r.query()).startsWith("access_token=tok&timestamp=" + ts + "&sign=");
        String sign = URLDecoder.decode(r.query().substring(r.query().indexOf("sign=") + 5), StandardCharsets.UTF_8);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("SECabc123".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((ts + "\nSECabc123").getBytes(StandardCharsets.UTF_8)));
        assertThat(sign).isEqualTo(expected);

        JsonNode body = json(r.body());
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.get("markdown").get("title").asText()).startsWith("Atrium").contains("gpu_temperature");
        assertThat(body.get("markdown").get("text").asText()).startsWith("### Atrium").contains("- Severity: critical");
    }

    @Test
    void aDeadWebhookNeverBlocksOrGrowsAndOthersStillGetEverything() throws Exception {
        AtomicInteger deadCalls = new AtomicInteger();
        stub.handler("/dead", r -> {
            deadCalls.incrementAndGet();
            return new Answer(500, "down", 50);
        });
        stub.answer("/alive", Answer.ok("ok"));
        notifier = notifier(List.of(new WebhookTarget(stub.uri("/dead"), WebhookFormat.GENERIC, null),
                new WebhookTarget(stub.uri("/alive"), WebhookFormat.GENERIC, null)), 3, 5);

        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            notifier.onAlert(event(Type.FIRED, "node-" + i + ":0"));
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("the caller is never blocked").isLessThan(1_000);
        assertThat(notifier.pending()).isLessThanOrEqualTo(10);
        // The alive hook gets the last 5 at least (its queue may also have been full for a moment).
        await(() -> notifier.pending() == 0);
        assertThat(deadCalls.get()).as("bounded: at most 5 queued x 3 attempts + the first in flight")
                .isLessThanOrEqualTo(6 * 3);
        assertThat(notifier.dropped()).isGreaterThanOrEqualTo(45);
        assertThat(stub.received().stream().filter(r -> r.path().equals("/alive")).count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void firedAndResolvedArriveInOrderAndAcknowledgeIsNotSentByDefault() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        stub.handler("/hook", failFirst(2, calls, "ok"));
        notifier = notifier(List.of(new WebhookTarget(stub.uri("/hook"), WebhookFormat.GENERIC, null)), 6, 10);

        notifier.onAlert(event(Type.FIRED, "a:0"));
        notifier.onAlert(event(Type.ACKNOWLEDGED, "a:0"));
        notifier.onAlert(event(Type.RESOLVED, "a:0"));
        await(() -> notifier.delivered() == 2);

        List<String> events = stub.received().stream().filter(r -> r.body().contains("\"event\""))
                .map(r -> {
                    try {
                        return json(r.body()).get("event").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        assertThat(events).containsExactly("fired", "fired", "fired", "resolved");
    }

    @Test
    void longMessagesAreCutForTheRobots() {
        String longMsg = "显卡".repeat(3000);
        AlertInfo a = new AlertInfo("x", "r", "warning", "s", longMsg, FIRED_AT, null, false);
        String body = WebhookBodies.body(WebhookFormat.WECOM, new AlertEvent(Type.FIRED, a), ZoneId.of("Asia/Shanghai"));
        assertThat(body).contains("...");
        assertThat(WebhookBodies.truncate(longMsg, 4096).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void targetsRejectNonHttpUrlsAndHideKeys() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookTarget(java.net.URI.create("file:///etc/passwd"),
                null, null)).isInstanceOf(IllegalArgumentException.class);
        WebhookTarget t = new WebhookTarget(java.net.URI.create("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET"),
                WebhookFormat.WECOM, null);
        assertThat(t.toString()).doesNotContain("SECRET");
    }
}
