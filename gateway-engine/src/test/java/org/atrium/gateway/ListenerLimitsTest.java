package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.atrium.gateway.security.Secrets;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Body/header limits, path tricks, config hot reload and refusing weak secrets. */
class ListenerLimitsTest {
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("server:\n  max_body_bytes: 4096\n  max_header_bytes: 4096\nroutes:\n"
                + TestGateway.route("task_001", stub.url()) + TestGateway.route("task_002", stub.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                            && got.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                // server closed: whatever arrived is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void oversizedBodiesAre413WithCode() throws Exception {
        String token = gw.token("u", "default", "*");
        HttpResponse<String> big = gw.post("/v1/chat/completions", token, "{\"model\":\"task_001\",\"x\":\"" + "a".repeat(8000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("PAYLOAD_TOO_LARGE");
        // chunked, no Content-Length: counted while reading
        String chunk = "a".repeat(3000);
        String body = "{\"model\":\"task_001\",\"x\":\"" + chunk + chunk + "\"}";
        String req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        String answer = raw(gw.server().dataPort(), req);
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("PAYLOAD_TOO_LARGE");
        // task route, streamed upload
        HttpResponse<String> task = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/upload"))
                .POST(HttpRequest.BodyPublishers.ofString("b".repeat(10_000))), token);
        assertThat(task.statusCode()).isEqualTo(413);
        assertThat(task.body()).contains("PAYLOAD_TOO_LARGE");
    }

    @Test
    void oversizedHeadersAre431() throws Exception {
        String answer = raw(gw.server().dataPort(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(6000) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(gw.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void pathTricksCannotReachAnotherTask() throws Exception {
        String token = gw.token("u", "default", "task_001");
        for (String path : new String[] {"/api/task/task_001/../task_002/x", "/api/task/task_001/%2e%2e/task_002/x",
                "/api/task/task_001%2F..%2Ftask_002/x", "/api/task/task_001/..%2Ftask_002", "/api/task//task_002/x"}) {
            String answer = raw(gw.server().dataPort(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200").doesNotContain("Exception");
            assertThat(answer.substring(9, 10)).as(path).isEqualTo("4");
        }
        assertThat(stub.received().stream().noneMatch(r -> r.header("x-task-id").equals("task_002"))).isTrue();
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/x"))
                .header("X-Request-ID", "trace-42").GET(), gw.token("u", "default", "*"));
        assertThat(r.headers().firstValue("x-request-id")).hasValue("trace-42");
        assertThat(stub.last().header("x-request-id")).isEqualTo("trace-42");
        HttpResponse<String> bad = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/x"))
                .header("X-Request-ID", "evil value\u00e9").GET(), gw.token("u", "default", "*"));
        assertThat(bad.headers().firstValue("x-request-id").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void configFileRoutesReloadWithoutRestart() throws Exception {
        try (StubBackend other = StubBackend.openAi();
             TestGateway g = TestGateway.start("routes:\n" + TestGateway.route("old", stub.url()))) {
            String token = g.token("u", "default", "*");
            assertThat(g.post("/v1/chat/completions", token, "{\"model\":\"fresh\"}").statusCode()).isEqualTo(404);
            Files.writeString(g.configFile(), "routes:\n" + TestGateway.route("old", stub.url())
                    + "  - id: fresh\n    aliases: [fresh-alias]\n    backends:\n      - url: " + other.url() + "\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && status != 200) {
                Thread.sleep(200);
                status = g.post("/v1/chat/completions", token, "{\"model\":\"fresh-alias\"}").statusCode();
            }
            assertThat(status).isEqualTo(200);
            assertThat(other.received()).hasSize(1);
            // A broken edit keeps the last good routes.
            Files.writeString(g.configFile(), "routes:\n  - id: [broken\n");
            Thread.sleep(1500);
            assertThat(g.post("/v1/chat/completions", token, "{\"model\":\"fresh\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void weakSecretsStopStartUp(@TempDir Path dir) {
        assertThatThrownBy(() -> GatewayServer.start(new GatewayServer.Options(null, dir.resolve("d"),
                Map.of("JWT_SECRET", "your-256-bit-secret-key-change-in-production"), null, 0, 0)))
                .isInstanceOf(Secrets.WeakSecretException.class);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Path cfg = dir.resolve("bad.yaml");
            Files.writeString(cfg, "server:\n  port: 99999\n");
            int code = Main.commandLine().execute("--config", cfg.toString(), "--data-dir", dir.resolve("d2").toString());
            assertThat(code).isEqualTo(2);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("server.port").doesNotContain("at org.");
    }
}
