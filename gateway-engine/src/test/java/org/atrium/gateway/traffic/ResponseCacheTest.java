package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atrium.gateway.traffic.TrafficTesting.tenant;
import static org.atrium.gateway.traffic.TrafficTesting.token;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-tenant exact-match response cache through sockets. */
class ResponseCacheTest {
    static final MutableClock CLOCK = MutableClock.now();
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubBackend((req, res) -> {
            if (req.bodyText().contains("fail")) {
                res.json(500, "{\"error\":\"boom\"}");
            } else {
                StubBackend.openAiHandler(req, res);
            }
        });
        gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n"
                + "routes:\n  - id: cached\n    cache: true\n    cache_ttl_seconds: 60\n    backends:\n      - url: "
                + stub.url() + "\n" + TestGateway.route("plain", stub.url() + "/p"), CLOCK, Map.of());
        gw.server().store().putTenant(tenant("cardio", null, null, null, null, null, null, null, null, null, null));
        gw.server().store().putTenant(tenant("neuro", null, null, null, null, null, null, null, null, null, null));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    static HttpResponse<String> call(String token, String model, String body, String cacheControl) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("MODEL", model)));
        if (cacheControl != null) {
            b.header("Cache-Control", cacheControl);
        }
        return gw.send(b, token);
    }

    static String xcache(HttpResponse<String> r) {
        return r.headers().firstValue("x-cache").orElse("none");
    }

    @Test
    void hitsAreExactPerTenantAndKeyOrderInsensitive() {
        String cardio = token(CLOCK, "doc", "cardio", "*");
        String neuro = token(CLOCK, "doc", "neuro", "*");
        String body = "{\"model\":\"MODEL\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"ecg?\"}]}";
        String reordered = "{\"messages\":[{\"content\":\"ecg?\",\"role\":\"user\"}],\"temperature\":0,\"model\":\"MODEL\"}";
        int before = stub.received().size();
        long hits = gw.server().traffic().cache().hits();

        HttpResponse<String> first = call(cardio, "cached", body, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(xcache(first)).isEqualTo("MISS");
        HttpResponse<String> second = call(cardio, "cached", reordered, null);
        assertThat(xcache(second)).isEqualTo("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(stub.received().size()).isEqualTo(before + 1);

        HttpResponse<String> otherTenant = call(neuro, "cached", body, null); // same user name, other department
        assertThat(xcache(otherTenant)).isEqualTo("MISS");
        assertThat(stub.received().size()).isEqualTo(before + 2);

        long stores = gw.server().traffic().cache().stores();
        HttpResponse<String> noCache = call(cardio, "cached", body, "no-cache");
        assertThat(xcache(noCache)).isEqualTo("MISS");
        // The fresh answer replaces the entry as the relay finishes, which may be just after the
        // caller has read the last byte: wait for it before moving the clock past the TTL.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gw.server().traffic().cache().stores() == stores && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stub.received().size()).isEqualTo(before + 3);

        assertThat(gw.server().traffic().cache().hits()).isEqualTo(hits + 1);
        assertThat(gw.server().traffic().cache().misses()).isGreaterThanOrEqualTo(3);

        CLOCK.advance(Duration.ofSeconds(61)); // past the route's TTL
        String fresh = token(CLOCK, "doc", "cardio", "*");
        assertThat(xcache(call(fresh, "cached", body, null))).isEqualTo("MISS");
    }

    @Test
    void onlyCompleteSuccessfulNonStreamingAnswersAreStored() {
        String t = token(CLOCK, "doc2", "cardio", "*");
        String failing = "{\"model\":\"MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"fail\"}]}";
        assertThat(call(t, "cached", failing, null).statusCode()).isEqualTo(500);
        HttpResponse<String> again = call(t, "cached", failing, null);
        assertThat(again.statusCode()).isEqualTo(500);
        assertThat(xcache(again)).isEqualTo("MISS");

        String streaming = "{\"model\":\"MODEL\",\"stream\":true,\"messages\":[]}";
        assertThat(xcache(call(t, "cached", streaming, null))).isEqualTo("none");
        assertThat(xcache(call(t, "cached", streaming, null))).isEqualTo("none");

        String body = "{\"model\":\"MODEL\",\"messages\":[]}";
        call(t, "plain", body, null);
        assertThat(xcache(call(t, "plain", body, null))).isEqualTo("none"); // off unless the route says cache: true
    }
}
