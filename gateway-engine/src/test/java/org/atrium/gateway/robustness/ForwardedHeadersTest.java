package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.atrium.gateway.robustness.RawHttp.Answer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, items 5 and 11: what crosses the gateway in headers. Hop-by-hop headers (the RFC 9110
 * ones, the legacy ones and those the message's {@code Connection} names) never pass either way;
 * header names with underscores never reach a backend; non-ASCII user ids arrive losslessly
 * (percent-encoded UTF-8) so two users never collide; several {@code X-Forwarded-For} lines are one
 * list whose right-most untrusted hop is the client.
 */
class ForwardedHeadersTest {
    @Test
    void hopByHopAndUnderscoreHeadersNeverPassEitherWay() throws Exception {
        try (StubBackend stub = new StubBackend((req, res) -> res.raw(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Connection: keep-alive, X-Backend-Hop\r\nX-Backend-Hop: secret\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\nUpgrade: h2c\r\nTrailer: X-T\r\nX_Backend_Thing: 1\r\nX-Fine-Back: yes\r\n"
                + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII)));
             TestGateway gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + TestGateway.route("task_001", stub.url()))) {
            String token = gw.token("alice", "default", "task_001");
            Answer a = RawHttp.send(gw.server().dataPort(), "GET /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: keep-alive, X-Hop-Secret\r\nX-Hop-Secret: 1\r\nProxy-Connection: keep-alive\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-T\r\nX_User_ID: admin\r\nX_Tenant_ID: icu\r\n"
                    + "Proxy-Authorization: Basic eDp5\r\nX-Fine: yes\r\n\r\n");
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            StubBackend.Received got = stub.last();
            assertThat(got.header("x-fine")).isEqualTo("yes");
            for (String h : new String[] {"x-hop-secret", "proxy-connection", "keep-alive", "te", "trailer", "x_user_id",
                    "x_tenant_id", "proxy-authorization", "upgrade"}) {
                assertThat(got.header(h)).as("forwarded upstream: " + h).isNull();
            }
            assertThat(got.headers().keySet()).noneMatch(n -> n.contains("_"));
            assertThat(got.header("content-length")).as("a GET goes upstream as sent, without Content-Length: 0").isNull();
            assertThat(got.header("transfer-encoding")).isNull();
            assertThat(got.header("connection")).isIn(null, "keep-alive");
            assertThat(a.header("x-fine-back")).isEqualTo("yes");
            for (String h : new String[] {"x-backend-hop", "keep-alive", "proxy-connection", "upgrade", "trailer", "x_backend_thing"}) {
                assertThat(a.header(h)).as("relayed to the caller: " + h).isNull();
            }
        }
    }

    @Test
    void nonAsciiUserIdsArriveLosslesslyAndAreToldApart() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + TestGateway.route("task_001", stub.url()))) {
            String li = gw.token("李医生", "default", "task_001");
            String wang = gw.token("王医生", "default", "task_001");
            assertThat(gw.post("/api/task/task_001/v1/chat/completions", li, "{}").statusCode()).isEqualTo(200);
            String liSent = stub.last().header("x-user-id");
            assertThat(gw.post("/api/task/task_001/v1/chat/completions", wang, "{}").statusCode()).isEqualTo(200);
            String wangSent = stub.last().header("x-user-id");
            assertThat(liSent).isNotEqualTo(wangSent).doesNotContain("?");
            assertThat(liSent).isEqualTo("%E6%9D%8E%E5%8C%BB%E7%94%9F");
            assertThat(URLDecoder.decode(liSent, StandardCharsets.UTF_8)).isEqualTo("李医生");
            assertThat(URLDecoder.decode(wangSent, StandardCharsets.UTF_8)).isEqualTo("王医生");
            // plain ASCII ids are sent unchanged
            assertThat(gw.post("/api/task/task_001/v1/chat/completions", gw.token("dr_li", "default", "task_001"), "{}")
                    .statusCode()).isEqualTo(200);
            assertThat(stub.last().header("x-user-id")).isEqualTo("dr_li");
        }
    }

    @Test
    void severalForwardedForLinesAreOneListAndTheRightMostUntrustedHopIsTheClient() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("server:\n  trusted_proxies: [127.0.0.1/32, 10.0.0.0/8]\n"
                     + "limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + TestGateway.route("task_001", stub.url()))) {
            String token = gw.token("bob", "default", "task_001");
            String req = "GET /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nX-Forwarded-For: %s\r\nX-Forwarded-For: %s\r\nConnection: close\r\n\r\n";
            Answer a = RawHttp.send(gw.server().dataPort(), req.formatted("198.51.100.7", "203.0.113.9, 10.1.2.3"));
            assertThat(a.status()).isEqualTo(200);
            assertThat(stub.last().header("x-real-ip")).isEqualTo("203.0.113.9");
            assertThat(stub.last().header("x-forwarded-for")).isEqualTo("198.51.100.7, 203.0.113.9, 10.1.2.3, 127.0.0.1");
            HttpResponse<String> ban = gw.http().send(HttpRequest.newBuilder(URI.create(gw.admin() + "/admin/v1/bans"))
                    .header("Authorization", "Bearer " + gw.adminToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"type\":\"ip\",\"target\":\"203.0.113.9\",\"reason\":\"t\",\"durationSeconds\":60}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ban.statusCode()).isEqualTo(201);
            // the banned client puts a clean address on its own first line: still banned
            Answer banned = RawHttp.send(gw.server().dataPort(), req.formatted("192.0.2.1", "203.0.113.9"));
            assertThat(banned.status()).as(banned.raw()).isEqualTo(403);
            assertThat(RawHttp.code(banned.body())).isEqualTo("BLACKLISTED");
        }
    }

}
