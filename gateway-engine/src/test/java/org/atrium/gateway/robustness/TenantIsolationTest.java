package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.faulttolerance.CircuitBreaker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.atrium.gateway.robustness.RawHttp.Answer;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 3 (and the upload half of item 11): nothing one tenant sends makes another tenant
 * see a 5xx. Aborted uploads, short bodies and over-limit bodies (with a length or chunked) are the
 * caller's fault: they never eject the shared backend nor open its circuit, an over-limit body is
 * refused 413 before any of it goes upstream, and the upstream side of an aborted upload is closed
 * at once instead of leaving the backend waiting for the rest.
 */
class TenantIsolationTest {
    static final int MAX_BODY = 64 * 1024;

    @Test
    void nothingTenantASendsMakesTenantBSeeA5xx() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("server:\n  max_body_bytes: " + MAX_BODY + "\n"
                     + "limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\n  user_max_concurrent: 0\n"
                     + "  circuit_volume: 10\n  passive_failure_threshold: 3\nroutes:\n"
                     + "  - id: shared\n    aliases: [shared-model]\n    backends:\n      - url: " + stub.url() + "\n")) {
            addTenant(gw, "tenant_a");
            addTenant(gw, "tenant_b");
            int port = gw.server().dataPort();
            String a = gw.token("mallory", "tenant_a", "shared", "shared-model");
            String b = gw.token("dr_wang", "tenant_b", "shared", "shared-model");
            List<String> targets = List.of("/api/task/shared/v1/chat/completions", "/v1/chat/completions");
            String big = "{\"model\":\"shared\",\"x\":\"" + "a".repeat(MAX_BODY) + "\"}";
            for (String target : targets) {
                String head = "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a
                        + "\r\nContent-Type: application/json\r\n";
                for (int i = 0; i < 12; i++) {
                    // announces 1000 bytes, sends 7, goes away
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        RawHttp.write(s.getOutputStream(), head + "Content-Length: 1000\r\n\r\n{\"model");
                        Thread.sleep(20);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    Answer chunked = RawHttp.send(port, head + "Transfer-Encoding: chunked\r\n\r\n" + chunked(big));
                    assertThat(chunked.status()).as(target + " chunked over the limit: " + chunked.raw()).isEqualTo(413);
                    Answer length = RawHttp.send(port, head + "Content-Length: " + big.length() + "\r\n\r\n" + big);
                    assertThat(length.status()).as(target + " length over the limit").isEqualTo(413);
                    Answer badChunk = RawHttp.send(port, head + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"mo\r\nzz\r\n"
                            + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(badChunk.status()).as(target + " malformed chunk: " + badChunk.raw()).isEqualTo(400);
                }
            }
            assertThat(stub.received()).as("no over-limit or broken body reached the backend")
                    .allSatisfy(r -> assertThat(r.body().length).isLessThan(MAX_BODY));
            Backend backend = gw.server().routes().table().byId("shared").orElseThrow().backends().getFirst();
            assertThat(gw.server().traffic().breakers().state(backend)).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(backend.available()).as("backend not ejected").isTrue();
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = i % 2 == 0
                        ? gw.post("/v1/chat/completions", b, "{\"model\":\"shared\",\"messages\":[]}")
                        : gw.post("/api/task/shared/v1/chat/completions", b, "{\"messages\":[]}");
                assertThat(r.statusCode()).as("tenant B call " + i + ": " + r.body()).isEqualTo(200);
            }
        }
    }

    /**
     * An upload the caller abandons never reaches the backend: the body is read whole before the
     * upstream request starts, so no backend is left waiting for the rest of a body (it once sat
     * 20 s and more on a half-sent request). The next complete call is the first the backend sees.
     */
    @Test
    void anAbortedUploadNeverOpensAnUpstreamRequest() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestGateway gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + TestGateway.route("slow", "http://127.0.0.1:" + backend.getLocalPort()))) {
            String token = gw.token("u", "default", "slow");
            try (Socket client = new Socket("127.0.0.1", gw.server().dataPort())) {
                RawHttp.write(client.getOutputStream(), "POST /api/task/slow/aborted HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token + "\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000));
                Thread.sleep(300);
            } // the caller goes away mid-upload
            try (Socket client = new Socket("127.0.0.1", gw.server().dataPort())) {
                RawHttp.write(client.getOutputStream(), "POST /api/task/slow/complete HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + token + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                try (Socket up = acceptUpload(backend)) {
                    assertThat(lastHead).startsWith("POST /complete ");
                }
            }
        }
    }

    private static volatile String lastHead = "";

    /** The gateway's connection carrying the upload (the engine-metrics scraper may connect first). */
    static Socket acceptUpload(ServerSocket backend) throws IOException {
        backend.setSoTimeout(10_000);
        while (true) {
            Socket s = backend.accept();
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder();
            InputStream in = s.getInputStream();
            int c;
            while ((c = in.read()) >= 0 && !head.toString().endsWith("\r\n\r\n")) {
                head.append((char) c);
            }
            if (head.toString().startsWith("POST ")) {
                lastHead = head.toString();
                return s;
            }
            s.close();
        }
    }

    static String chunked(String body) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i += 8192) {
            String part = body.substring(i, Math.min(body.length(), i + 8192));
            sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    static void addTenant(TestGateway gw, String id) throws Exception {
        HttpResponse<String> r = gw.http().send(HttpRequest.newBuilder(URI.create(gw.admin() + "/admin/v1/tenants"))
                .header("Authorization", "Bearer " + gw.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
