package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atrium.gateway.traffic.TrafficTesting.code;
import static org.atrium.gateway.traffic.TrafficTesting.token;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-IP rate limit before the token, exact ban expiry and CIDR bans (IPv4, IPv6, IPv4-mapped)
 * through sockets. Client addresses come from X-Forwarded-For of the trusted loopback proxy.
 */
class IpLimitsAndBansTest {
    static final MutableClock CLOCK = MutableClock.now();
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("server:\n  trusted_proxies: [127.0.0.1/32]\n"
                + "limits:\n  ip_requests_per_minute: 60\n  ip_burst: 3\n"
                + "routes:\n" + TestGateway.route("task_001", stub.url()), CLOCK, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    static HttpResponse<String> from(String ip, String token) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/v1/x"))
                .header("X-Forwarded-For", ip).POST(HttpRequest.BodyPublishers.ofString("{}")), token);
    }

    static void ban(BanType type, String target, Duration d) {
        Instant now = CLOCK.instant();
        gw.server().store().putBan(new Ban(type, target, "test", "tester", now, d == null ? null : now.plus(d)));
    }

    @Test
    void perIpRateLimitRunsBeforeTheTokenAndRefills() {
        for (int i = 0; i < 3; i++) {
            assertThat(from("10.1.1.1", null).statusCode()).isEqualTo(401); // burst of 3 reaches the token check
        }
        HttpResponse<String> limited = from("10.1.1.1", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(code(limited)).isEqualTo("RATE_LIMITED");
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(from("10.1.1.2", null).statusCode()).isEqualTo(401); // another address has its own bucket
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(from("10.1.1.1", null).statusCode()).isEqualTo(401);
        assertThat(gw.server().traffic().stats().get("rate_limited.ip")).isEqualTo(1);
    }

    @Test
    void ipBanExpiresExactly() {
        String t = token(CLOCK, "amy", "default", "task_001");
        ban(BanType.IP, "10.9.9.9", Duration.ofSeconds(2));
        HttpResponse<String> banned = from("10.9.9.9", t);
        assertThat(banned.statusCode()).isEqualTo(403);
        assertThat(code(banned)).isEqualTo("BLACKLISTED");
        CLOCK.advance(Duration.ofMillis(1999));
        assertThat(from("10.9.9.9", t).statusCode()).isEqualTo(403);
        CLOCK.advance(Duration.ofMillis(1));
        assertThat(from("10.9.9.9", t).statusCode()).isEqualTo(200);
    }

    @Test
    void userAndTenantBansExpireToo() {
        String t = token(CLOCK, "bert", "default", "task_001");
        ban(BanType.USER, "bert", Duration.ofSeconds(2));
        HttpResponse<String> r = from("10.8.0.1", t);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(code(r)).isEqualTo("USER_BLACKLISTED");
        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(from("10.8.0.1", t).statusCode()).isEqualTo(200);
        ban(BanType.TASK, "task_001", Duration.ofSeconds(1));
        assertThat(code(from("10.8.0.2", null))).isEqualTo("BLACKLISTED"); // task ban before the token
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(from("10.8.0.2", t).statusCode()).isEqualTo(200);
    }

    @Test
    void cidrBansForIpv4Ipv6AndMappedAddresses() {
        String t = token(CLOCK, "cid", "default", "task_001");
        ban(BanType.IP, "10.20.0.0/16", null);
        ban(BanType.IP, "2001:db8::/32", Duration.ofMinutes(5));
        assertThat(from("10.20.3.4", t).statusCode()).isEqualTo(403);
        assertThat(from("::ffff:10.20.7.7", t).statusCode()).isEqualTo(403);
        assertThat(from("10.21.0.1", t).statusCode()).isEqualTo(200);
        assertThat(from("2001:db8:0:1::5", t).statusCode()).isEqualTo(403);
        assertThat(from("2001:DB8::AB", t).statusCode()).isEqualTo(403);
        assertThat(from("2001:db9::1", t).statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(from("2001:db8:0:1::5", t).statusCode()).isEqualTo(200);
        assertThat(from("10.20.3.4", t).statusCode()).isEqualTo(403); // no expiry
        gw.server().store().deleteBan(BanType.IP, "10.20.0.0/16");
        assertThat(from("10.20.3.4", t).statusCode()).isEqualTo(200); // removal takes effect on the next call
    }
}
