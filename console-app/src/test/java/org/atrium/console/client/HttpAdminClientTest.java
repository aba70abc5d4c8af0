package org.atrium.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenIssueRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST half of the client against a loopback stub that speaks docs/admin-api.md. */
class HttpAdminClientTest {
    record Seen(String method, String rawPath, String auth, String accept, String contentType, String body) { }

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Map<String, String[]> answers = new ConcurrentHashMap<>(); // "METHOD path" -> {status, contentType, body}
    HttpAdminClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/admin/v1/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String raw = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            seen.add(new Seen(ex.getRequestMethod(), raw, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Accept"), ex.getRequestHeaders().getFirst("Content-Type"), body));
            String[] a = answers.getOrDefault(ex.getRequestMethod() + " " + raw,
                    new String[] {"404", "application/json", "{\"error\":\"no such thing\",\"code\":\"NOT_FOUND\"}"});
            byte[] out = a[2].getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a[1]);
            int status = Integer.parseInt(a[0]);
            ex.sendResponseHeaders(status, status == 204 ? -1 : out.length);
            if (status != 204) {
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
        client = new HttpAdminClient(new GatewayTarget(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "s3cret"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    void answer(String key, int status, String body) {
        answers.put(key, new String[] {String.valueOf(status), "application/json", body});
    }

    @Test
    void readsRecordsAndSendsTheBearerToken() {
        answer("GET /admin/v1/tenants", 200, "[{\"id\":\"radiology\",\"name\":\"放射科\",\"weight\":4,\"priority\":\"high\",\"someNewField\":1}]");
        List<TenantSpec> t = client.tenants();
        assertThat(t).singleElement().satisfies(x -> {
            assertThat(x.name()).isEqualTo("放射科");
            assertThat(x.weight()).isEqualTo(4);
        });
        assertThat(seen.get(0).auth()).isEqualTo("Bearer s3cret");
    }

    @Test
    void postsJsonBodies() {
        answer("POST /admin/v1/tokens", 201, "{\"token\":\"eyJ.x.y\",\"jti\":\"j1\",\"expiresAt\":\"2026-12-22T08:00:00Z\"}");
        var issued = client.issueToken(new TokenIssueRequest("radiology", "pacs", List.of("ocr"), "user", 3600L, null));
        assertThat(issued.jti()).isEqualTo("j1");
        Seen s = seen.get(0);
        assertThat(s.contentType()).isEqualTo("application/json");
        assertThat(s.body()).contains("\"user\":\"pacs\"").contains("\"ttlSeconds\":3600");
    }

    @Test
    void patchSendsAMergePatchOfOnlyTheGivenFields() {
        answer("PATCH /admin/v1/tenants/radiology", 200, "{\"id\":\"radiology\",\"name\":\"放射科\",\"enabled\":false}");
        TenantSpec t = client.patchTenant("radiology", java.util.Map.of("enabled", false));
        assertThat(t.enabled()).isFalse();
        Seen s = seen.get(0);
        assertThat(s.method()).isEqualTo("PATCH");
        assertThat(s.contentType()).isEqualTo("application/merge-patch+json");
        assertThat(s.body()).isEqualTo("{\"enabled\":false}");
    }

    @Test
    void mapsApiErrorsToATypedExceptionWithTheCode() {
        answer("POST /admin/v1/bans", 400,
                "{\"error\":\"target is not an IP or CIDR\",\"code\":\"VALIDATION_FAILED\",\"field\":\"target\"}");
        assertThatThrownBy(() -> client.addBan(new BanRequest(BanType.IP, "nope", null, 60L)))
                .isInstanceOfSatisfying(AdminApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
                    assertThat(e.field()).isEqualTo("target");
                    assertThat(e.getMessage()).isEqualTo("target is not an IP or CIDR");
                });
    }

    @Test
    void aNonApiErrorBodyStillGivesACode() {
        answers.put("GET /admin/v1/routes", new String[] {"502", "text/html", "<html>Bad gateway</html>"});
        assertThatThrownBy(() -> client.routes()).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.code()).isEqualTo("HTTP_502"));
    }

    @Test
    void encodesPathSegmentsAndQueries() {
        answers.put("DELETE /admin/v1/bans/ip/10.0.0.0%2F8", new String[] {"204", "application/json", ""});
        client.removeBan(BanType.IP, "10.0.0.0/8");
        answers.put("GET /admin/v1/usage?tenant=radiology&from=2026-11-01&to=2026-11-22&groupBy=day",
                new String[] {"200", "text/csv", "day,tenant\n2026-11-01,radiology\n"});
        String csv = client.usageCsv("radiology", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 22), "day");
        assertThat(csv).startsWith("day,tenant");
        assertThat(seen.get(1).accept()).isEqualTo("text/csv");
        answer("GET /admin/v1/top-talkers?by=ip&limit=20", 200, "[{\"kind\":\"ip\",\"key\":\"10.1.1.1\",\"tenant\":null,\"requestsPerMinute\":12.5}]");
        assertThat(client.topTalkers("ip", 20)).singleElement().satisfies(t -> assertThat(t.requestsPerMinute()).isEqualTo(12.5));
        answers.put("POST /admin/v1/alerts/a%201/ack", new String[] {"204", "application/json", ""});
        client.acknowledgeAlert("a 1");
    }

    @Test
    void noGatewayIsUnreachableNotAStackTrace() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (HttpAdminClient c = new HttpAdminClient(new GatewayTarget(URI.create("http://127.0.0.1:" + port), ""),
                Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(1500))) {
            assertThatThrownBy(c::status).isInstanceOfSatisfying(AdminApiException.class, e -> {
                assertThat(e.code()).isEqualTo(AdminApiException.UNREACHABLE);
                assertThat(e.getMessage()).contains("127.0.0.1:" + port);
            });
        }
    }

    @Test
    void targetsAreValidatedAndNeverPrintTheToken() {
        GatewayTarget t = GatewayTarget.parse("gw.hospital.local:8081", "tok");
        assertThat(t.baseUri()).hasToString("http://gw.hospital.local:8081");
        assertThat(t.isLocal()).isFalse();
        assertThat(GatewayTarget.parse("http://127.0.0.1:8081/", null).isLocal()).isTrue();
        assertThat(t.toString()).doesNotContain("tok");
        assertThatThrownBy(() -> GatewayTarget.parse("ftp://x", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayTarget.parse(" ", null)).hasMessageContaining("required");
    }
}
