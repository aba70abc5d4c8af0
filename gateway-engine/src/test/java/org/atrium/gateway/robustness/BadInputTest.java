package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.gateway.robustness.RawHttp.Answer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed requests through real sockets: each gets the right status and stable code
 * in its surface's error shape, leaks nothing internal, reaches no backend it should not, and the
 * gateway stays healthy. Logic-level token cases are in TokenVerifierTest; this checks the wire.
 */
class BadInputTest {
    static final long MAX_BODY = 256 * 1024;
    static StubBackend stub;      // task_001
    static StubBackend other;     // task_002: the target of every trick; must see nothing
    static TestGateway gw;
    static int port;
    static String token;          // may use task_001 only

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        other = StubBackend.openAi();
        gw = TestGateway.start("server:\n  max_body_bytes: " + MAX_BODY + "\n  max_header_bytes: 16384\n"
                + "limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\n"
                + "routes:\n  - id: task_001\n    aliases: [qwen3-8b]\n    backends:\n      - url: " + stub.url() + "\n"
                + TestGateway.route("task_002", other.url()));
        port = gw.server().dataPort();
        token = gw.token("alice", "default", "task_001", "qwen3-8b");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
        other.close();
    }

    @AfterEach
    void stillHealthyAndOtherTaskUntouched() throws Exception {
        Answer h = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.body()).isEqualTo("OK\n");
        assertThat(other.received()).as("task_002's backend was reached").isEmpty();
    }

    private static String leakMarkers() {
        return ":" + stub.port();
    }

    /** Sends {@code body} with {@code auth} on both surfaces and checks status, code and shape. */
    private static void refusedOnBothSurfaces(String name, String auth, int status, String code) throws Exception {
        int before = stub.received().size();
        String body = "{\"model\":\"task_001\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String headers = "Host: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n" + (auth == null ? "" : "Authorization: " + auth + "\r\n");
        Answer task = RawHttp.send(port, "POST /api/task/task_001/v1/chat/completions HTTP/1.1\r\n" + headers + "\r\n" + body);
        assertThat(task.status()).as(name + " on /api/task").isEqualTo(status);
        assertThat(RawHttp.code(task.body())).as(name + " on /api/task").isEqualTo(code);
        assertThat(RawHttp.referenceShape(task.body())).as(name + " reference shape: " + task.body()).isTrue();
        task.assertNoLeak(leakMarkers());
        Answer v1 = RawHttp.send(port, "POST /v1/chat/completions HTTP/1.1\r\n" + headers + "\r\n" + body);
        assertThat(v1.status()).as(name + " on /v1").isEqualTo(status);
        assertThat(RawHttp.code(v1.body())).as(name + " on /v1").isEqualTo(code);
        assertThat(RawHttp.openAiShape(v1.body())).as(name + " OpenAI shape: " + v1.body()).isTrue();
        v1.assertNoLeak(leakMarkers());
        assertThat(stub.received().size()).as(name + " reached the backend").isEqualTo(before);
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String claims(long iat, long exp, String extra) {
        return "{\"sub\":\"alice\",\"allowed_tasks\":[\"task_001\",\"qwen3-8b\"],\"iat\":" + iat + ",\"exp\":" + exp + extra + "}";
    }

    @Test
    void hostileTokensAre401InvalidTokenOnBothSurfaces() throws Exception {
        long now = Instant.now().getEpochSecond();
        String ok = claims(now, now + 600, "");
        String s = TestGateway.SECRET;
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("malformed", "Bearer not.a.token");
        cases.put("garbage segments", "Bearer " + b64("{") + "." + b64("}") + "." + b64("x"));
        cases.put("two segments", "Bearer " + b64("{\"alg\":\"HS256\"}") + "." + b64(ok));
        cases.put("JWE five segments", "Bearer a.b.c.d.e");
        cases.put("alg none", "Bearer " + b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(ok) + ".");
        cases.put("alg None", "Bearer " + b64("{\"alg\":\"None\"}") + "." + b64(ok) + ".");
        cases.put("alg none, signature kept", "Bearer " + b64("{\"alg\":\"none\"}") + "." + b64(ok) + "."
                + Tokens.hs256(s, ok).split("\\.")[2]);
        cases.put("wrong algorithm HS512", "Bearer " + Tokens.sign(s, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", ok));
        cases.put("RS256 header, HMAC signature", "Bearer " + Tokens.sign(s, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", ok));
        cases.put("bad signature", "Bearer " + Tokens.hs256(s + "x", ok));
        cases.put("expired", "Bearer " + Tokens.hs256(s, claims(now - 7200, now - 3600, "")));
        cases.put("future iat", "Bearer " + Tokens.hs256(s, claims(now + 3600, now + 7200, "")));
        cases.put("no exp", "Bearer " + Tokens.hs256(s, "{\"sub\":\"alice\",\"allowed_tasks\":[\"*\"],\"iat\":" + now + "}"));
        cases.put("over 8 KiB", "Bearer " + Tokens.hs256(s, claims(now, now + 600, ",\"pad\":\"" + "p".repeat(6200) + "\"")));
        cases.put("duplicate claim", "Bearer " + Tokens.hs256(s, "{\"sub\":\"alice\",\"allowed_tasks\":[\"task_001\"],"
                + "\"allowed_tasks\":[\"*\"],\"iat\":" + now + ",\"exp\":" + (now + 600) + "}"));
        cases.put("CR/LF in user_id", "Bearer " + Tokens.hs256(s, claims(now, now + 600, ",\"user_id\":\"bob\\r\\nX-User-ID: admin\"")));
        cases.put("LF in tenant", "Bearer " + Tokens.hs256(s, claims(now, now + 600, ",\"tenant\":\"icu\\nX: 1\"")));
        cases.put("jku header", "Bearer " + Tokens.sign(s, "{\"alg\":\"HS256\",\"jku\":\"http://127.0.0.1:1/k\"}", ok));
        cases.put("embedded jwk", "Bearer " + Tokens.sign(s, "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}", ok));
        cases.put("NUL in header json", "Bearer " + Tokens.sign(s, "{\"alg\":\"HS256\u0000\"}", ok));
        for (var c : cases.entrySet()) {
            refusedOnBothSurfaces(c.getKey(), c.getValue(), 401, "INVALID_TOKEN");
        }
        refusedOnBothSurfaces("no header", null, 401, "NO_TOKEN");
        // a token still valid is accepted on both surfaces (the cases above were refused for their fault)
        String good = Tokens.hs256(s, ok);
        assertThat(gw.post("/v1/chat/completions", good, "{\"model\":\"task_001\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void pathTricksNeverReachAnotherTaskOrEscapeTheBackendPath() throws Exception {
        List<String> paths = List.of(
                "/api/task/task_001/../task_002/x", "/api/task/task_001/%2e%2e/task_002/x",
                "/api/task/task_001/%2E%2E/%2E%2E/task_002/x", "/api/task/task_001/.%2e/task_002",
                "/api/task/task_001%2F..%2Ftask_002/x", "/api/task/task_001%2f..%2ftask_002/x",
                "/api/task/task_001/..%2Ftask_002", "/api/task/task_001/..%2ftask_002",
                "/api/task//task_002/x", "//api/task/task_002/x", "/api//task/task_002/x",
                "/api/task/./task_002/x", "/api/task/task_001/./../task_002/x",
                "/API/TASK/task_002/x", "/Api/Task/task_002/x", "/api/task/TASK_002/x", "/api/task/Task_001/x",
                "/api/task/task_001/..\\task_002/x", "/api/task/task_001\\..\\task_002/x",
                "/api/task/task_001/%5c..%5ctask_002", "/api/task/task_001/%5C..%5Ctask_002",
                "/api/task/task_001/%252e%252e/task_002/x", "/api/task/%74ask_002/x",
                "/api/task/task_001;/../task_002/x", "/api/task/task_001/;/../../task_002",
                "/v1/../api/task/task_002/x", "/v1/%2e%2e/api/task/task_002/x",
                "/api/task/task_001/%00/../task_002", "/api/task/task_001%00/x",
                "/api/task/task_001/%ff%fe/x", "/api/task/task_001/%/x", "/api/task/task_001/%zz/x");
        for (String path : paths) {
            Answer a = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(a.status()).as(path + " → " + a.raw()).isBetween(200, 499);
            a.assertNoLeak(leakMarkers());
            if (a.status() >= 400) {
                assertThat(RawHttp.code(a.body())).as(path + " has a code: " + a.body()).isNotNull();
            }
        }
        for (StubBackend.Received r : stub.received()) {
            assertThat(r.target()).as("forwarded target").doesNotContain("..").doesNotContainIgnoringCase("%2e")
                    .doesNotContainIgnoringCase("%2f").doesNotContain("\\").doesNotContainIgnoringCase("%5c");
            assertThat(r.header("x-task-id")).isEqualTo("task_001");
        }
    }

    @Test
    void bodiesOverTheLimitAre413ChunkedOrNot() throws Exception {
        int before = stub.received().size();
        String big = "{\"model\":\"task_001\",\"x\":\"" + "a".repeat((int) MAX_BODY) + "\"}";
        for (String target : List.of("/v1/chat/completions", "/api/task/task_001/v1/chat/completions")) {
            // declared length over the limit
            Answer cl = RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
            assertThat(cl.status()).as(target).isEqualTo(413);
            assertThat(RawHttp.code(cl.body())).isEqualTo("PAYLOAD_TOO_LARGE");
            cl.assertNoLeak(leakMarkers());
            // chunked, no length: counted while reading
            StringBuilder chunked = new StringBuilder();
            for (int i = 0; i < big.length(); i += 8192) {
                String part = big.substring(i, Math.min(big.length(), i + 8192));
                chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
            }
            chunked.append("0\r\n\r\n");
            Answer ch = RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
            assertThat(ch.status()).as(target + " chunked: " + ch.raw()).isEqualTo(413);
            assertThat(RawHttp.code(ch.body())).isEqualTo("PAYLOAD_TOO_LARGE");
            ch.assertNoLeak(leakMarkers());
            // a length that lies (far over the limit, little sent) and one that overflows a long
            Answer lie = RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: 99999999999\r\n\r\n{}");
            assertThat(lie.status()).as(target + " lie").isEqualTo(413);
            Answer overflow = RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: 99999999999999999999999\r\n\r\n{}");
            assertThat(overflow.status()).as(target + " overflow: " + overflow.raw()).isIn(400, 413);
            overflow.assertNoLeak(leakMarkers());
            Answer negative = RawHttp.send(port, "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: -5\r\n\r\n{}");
            assertThat(negative.status()).as(target + " negative: " + negative.raw()).isEqualTo(400);
            negative.assertNoLeak(leakMarkers());
        }
        // nothing complete reached the backend
        assertThat(stub.received().size()).isEqualTo(before);
    }

    @Test
    void deepOrHugeJsonOnV1() throws Exception {
        int before = stub.received().size();
        String deepArrays = "{\"model\":\"task_001\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        String deepObjects = "{\"model\":\"task_001\",\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        String longNumber = "{\"model\":\"task_001\",\"n\":" + "9".repeat(10_000) + "}";
        for (String body : List.of(deepArrays, deepObjects, longNumber)) {
            var r = gw.post("/v1/chat/completions", token, body);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(RawHttp.code(r.body())).isEqualTo("BAD_REQUEST");
            assertThat(RawHttp.openAiShape(r.body())).isTrue();
            RawHttp.assertNoLeakIn(r.body(), leakMarkers());
        }
        assertThat(stub.received().size()).isEqualTo(before);
        // many keys, just under the body limit: valid JSON, forwarded intact
        StringBuilder many = new StringBuilder("{\"model\":\"task_001\"");
        for (int i = 0; many.length() < MAX_BODY - 64; i++) {
            many.append(",\"k").append(i).append("\":").append(i);
        }
        many.append('}');
        long t0 = System.nanoTime();
        var r = gw.post("/v1/chat/completions", token, many.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(stub.last().body().length).isGreaterThan((int) (MAX_BODY - 1024));
    }

    @Test
    void oversizedHeadersAndRequestLines() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        Answer manyHeaders = RawHttp.send(port, "GET /api/task/task_001/x HTTP/1.1\r\nHost: x\r\n" + many + "\r\n");
        assertThat(manyHeaders.status()).isEqualTo(431);
        assertThat(RawHttp.code(manyHeaders.body())).isEqualTo("HEADERS_TOO_LARGE");
        manyHeaders.assertNoLeak();
        // Beyond Helidon's own parser limit (4x ours) Helidon refuses before any filter runs and does not
        // say why, so the answer is 400 BAD_REQUEST rather than 431: still JSON with a stable code.
        Answer huge = RawHttp.send(port, "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(100_000) + "\r\n\r\n");
        assertThat(huge.status()).as(huge.raw()).isIn(400, 431);
        assertThat(RawHttp.code(huge.body())).isIn("BAD_REQUEST", "HEADERS_TOO_LARGE");
        huge.assertNoLeak();
        Answer longLine = RawHttp.send(port, "GET /api/task/task_001/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(longLine.status()).as(longLine.raw()).isIn(414, 431, 400);
        assertThat(RawHttp.code(longLine.body())).isNotNull();
        longLine.assertNoLeak();
        Answer bigAuth = RawHttp.send(port, "GET /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(bigAuth.status()).isEqualTo(431);
    }

    /** One client request must never become two upstream requests, nor reach the smuggled target. */
    @Test
    void requestSmugglingAttemptsNeverSplitUpstream() throws Exception {
        String smuggled = "GET /api/task/task_002/smuggled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        String chunkBody = "{\"model\":\"task_001\"}";
        String chunkedWithSmuggle = Integer.toHexString(chunkBody.length()) + "\r\n" + chunkBody + "\r\n0\r\n\r\n" + smuggled;
        String head = "POST /api/task/task_001/in HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n";
        String smuggledUp = "GET /smuggled-upstream HTTP/1.1\r\nHost: x\r\n\r\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("CL+TE, TE body hides a request", head + "Content-Length: " + (chunkBody.length() + 9)
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedWithSmuggle);
        cases.put("TE+CL, CL covers a request", head + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                + chunkedWithSmuggle);
        cases.put("CL shorter than the chunked body (upstream split)", head + "Content-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(4 + smuggledUp.length()) + "\r\n{}\r\n"
                + smuggledUp + "\r\n0\r\n\r\n");
        cases.put("two different Content-Length", head + "Content-Length: 2\r\nContent-Length: " + (2 + smuggled.length())
                + "\r\n\r\n{}" + smuggled);
        cases.put("Content-Length list", head + "Content-Length: 2, " + (2 + smuggled.length()) + "\r\n\r\n{}" + smuggled);
        cases.put("TE chunked, identity", head + "Transfer-Encoding: chunked, identity\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("TE xchunked", head + "Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("TE with space before colon", head + "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("TE tab-prefixed value", head + "Transfer-Encoding:\tchunked\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("TE obs-fold", head + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("two TE headers", head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
                + chunkedWithSmuggle);
        cases.put("bare LF line endings", head.replace("\r\n", "\n") + "Content-Length: 2\n\n{}" + smuggled);
        cases.put("chunk size with garbage", head + "Transfer-Encoding: chunked\r\n\r\n2;x=\"\r\n\"\r\n{}\r\n0\r\n\r\n" + smuggled);
        cases.put("Content-Length not a number", head + "Content-Length: 2x\r\n\r\n{}" + smuggled);
        cases.put("Content-Length with plus", head + "Content-Length: +2\r\n\r\n{}" + smuggled);
        cases.put("chunk size overflow", head + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n");
        cases.put("negative chunk size", head + "Transfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n");
        for (var c : cases.entrySet()) {
            int before = stub.received().size();
            Answer a = RawHttp.send(port, c.getValue().getBytes(StandardCharsets.ISO_8859_1), 5_000);
            a.assertNoLeak(leakMarkers());
            Thread.sleep(150);
            assertThat(stub.received().size() - before).as(c.getKey() + ": upstream requests; answer " + a.raw())
                    .isLessThanOrEqualTo(1);
            assertThat(stub.received().subList(before, stub.received().size()))
                    .as(c.getKey()).allSatisfy(r -> assertThat(r.target()).doesNotContain("smuggled"));
            assertThat(a.status()).as(c.getKey() + " → " + a.raw()).isNotIn(500, 502, 503, 504);
            if (c.getKey().startsWith("CL") || c.getKey().startsWith("TE+CL") || c.getKey().startsWith("two different")
                    || c.getKey().startsWith("Content-Length")) {
                assertThat(a.status()).as(c.getKey() + " → " + a.raw()).isEqualTo(400);
                assertThat(RawHttp.code(a.body())).isEqualTo("BAD_REQUEST");
            }
        }
    }

    @Test
    void modelThatIsMissingDuplicatedOrNotAString() throws Exception {
        int before = stub.received().size();
        Map<String, String> badRequest = new LinkedHashMap<>();
        badRequest.put("duplicated", "{\"model\":\"task_001\",\"model\":\"task_002\"}");
        badRequest.put("duplicated same", "{\"model\":\"task_001\",\"model\":\"task_001\"}");
        badRequest.put("number", "{\"model\":5}");
        badRequest.put("true", "{\"model\":true}");
        badRequest.put("array", "{\"model\":[\"task_001\"]}");
        badRequest.put("object", "{\"model\":{\"id\":\"task_001\"}}");
        badRequest.put("body an array", "[{\"model\":\"task_001\"}]");
        badRequest.put("body a string", "\"task_001\"");
        badRequest.put("not JSON", "model=task_001");
        badRequest.put("truncated", "{\"model\":\"task_001\"");
        badRequest.put("trailing garbage", "{\"model\":\"task_001\"} {\"model\":\"task_002\"}");
        for (var c : badRequest.entrySet()) {
            var r = gw.post("/v1/chat/completions", token, c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(RawHttp.code(r.body())).as(c.getKey()).isEqualTo("BAD_REQUEST");
            assertThat(RawHttp.openAiShape(r.body())).isTrue();
            RawHttp.assertNoLeakIn(r.body(), leakMarkers());
        }
        Map<String, String> missing = new LinkedHashMap<>();
        missing.put("missing", "{\"messages\":[]}");
        missing.put("null", "{\"model\":null}");
        missing.put("empty", "{\"model\":\"\"}");
        missing.put("blank", "{\"model\":\"   \"}");
        missing.put("other case key", "{\"Model\":\"task_001\"}");
        missing.put("empty body", "");
        for (var c : missing.entrySet()) {
            var r = gw.post("/v1/chat/completions", token, c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(RawHttp.code(r.body())).as(c.getKey() + ": " + r.body()).isIn("MISSING_TASK_ID", "BAD_REQUEST");
            assertThat(RawHttp.openAiShape(r.body())).isTrue();
        }
        for (String model : List.of("task_002", "TASK_001", "task_001\\u0000", "task_001\\r\\nX-Task-ID: task_002",
                "../task_002", "x".repeat(5000))) {
            var r = gw.post("/v1/chat/completions", token, "{\"model\":\"" + model + "\"}");
            assertThat(r.statusCode()).as(model).isIn(403, 404);
            RawHttp.assertNoLeakIn(r.body(), leakMarkers());
            assertThat(r.body().length()).as("the answer does not echo a huge model name").isLessThan(8000);
        }
        assertThat(stub.received().size()).isEqualTo(before);
    }

    @Test
    void spoofedIdentityHeadersOnV1AreReplacedAndUntrustedForwardedForIsIgnored() throws Exception {
        String body = "{\"model\":\"qwen3-8b\",\"messages\":[]}";
        Answer a = RawHttp.send(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nX-User-ID: admin\r\nX-Tenant-ID: icu\r\nX-Task-ID: task_002\r\nX-Forwarded-For: 10.66.0.1\r\n"
                + "X-Real-IP: 10.66.0.1\r\nForwarded: for=10.66.0.1\r\nX-Authenticated-At: 1970-01-01T00:00:00Z\r\n"
                + "x-user-id: root\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(a.status()).isEqualTo(200);
        StubBackend.Received got = stub.last();
        assertThat(got.header("x-user-id")).isEqualTo("alice");
        assertThat(got.header("x-tenant-id")).isEqualTo("default");
        assertThat(got.header("x-task-id")).isEqualTo("task_001");
        assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(got.header("x-real-ip")).isEqualTo("127.0.0.1");
        assertThat(got.header("forwarded")).isNull();
        assertThat(got.header("x-authenticated-at")).isNotEqualTo("1970-01-01T00:00:00Z");
        // an untrusted X-Forwarded-For cannot dodge an IP ban or pin one on someone else
        var ban = gw.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.admin() + "/admin/v1/bans"))
                .header("Authorization", "Bearer " + gw.adminToken()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"ip\",\"target\":\"10.66.0.0/16\",\"reason\":\"test\",\"durationSeconds\":60}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ban.statusCode()).isEqualTo(201);
        Answer spoof = RawHttp.send(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nX-Forwarded-For: 10.66.0.1\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(spoof.status()).isEqualTo(200);
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        try (StubBackend s = StubBackend.openAi();
             TestGateway g = TestGateway.start("server:\n  trusted_proxies: [127.0.0.1/32]\nroutes:\n"
                     + TestGateway.route("task_001", s.url()))) {
            String t = g.token("bob", "default", "task_001");
            String body = "{\"model\":\"task_001\"}";
            String req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t
                    + "\r\nX-Forwarded-For: %s\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            Answer a = RawHttp.send(g.server().dataPort(), req.formatted("203.0.113.9"));
            assertThat(a.status()).isEqualTo(200);
            assertThat(s.last().header("x-real-ip")).isEqualTo("203.0.113.9");
            assertThat(s.last().header("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");
            // a client behind the proxy prepending its own hop cannot pick its address
            RawHttp.send(g.server().dataPort(), req.formatted("10.0.0.1, 203.0.113.9"));
            assertThat(s.last().header("x-real-ip")).isEqualTo("203.0.113.9");
            // garbage in the chain: nothing in it is believed
            RawHttp.send(g.server().dataPort(), req.formatted("203.0.113.9, <script>"));
            assertThat(s.last().header("x-real-ip")).isEqualTo("127.0.0.1");
            // the trusted client address is what bans see
            var ban = g.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(g.admin() + "/admin/v1/bans"))
                    .header("Authorization", "Bearer " + g.adminToken()).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"type\":\"ip\",\"target\":\"203.0.113.9\",\"reason\":\"t\",\"durationSeconds\":60}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ban.statusCode()).isEqualTo(201);
            Answer banned = RawHttp.send(g.server().dataPort(), req.formatted("203.0.113.9"));
            assertThat(banned.status()).isEqualTo(403);
            assertThat(RawHttp.code(banned.body())).isEqualTo("BLACKLISTED");
            assertThat(RawHttp.send(g.server().dataPort(), req.formatted("203.0.113.10")).status()).isEqualTo(200);
        }
    }

    @Test
    void http10AbsoluteFormAndOddRequestLines() throws Exception {
        // Helidon 4.2 picks a connection handler by the " HTTP/1.1" in the first line: an HTTP/1.0
        // request gets the connection closed without an answer (status 0 here). Written up, not fixed.
        Answer h10 = RawHttp.send(port, "GET /health HTTP/1.0\r\n\r\n");
        assertThat(h10.status()).as(h10.raw()).isIn(0, 200, 505);
        h10.assertNoLeak();
        String body = "{\"model\":\"task_001\"}";
        Answer post10 = RawHttp.send(port, "POST /v1/chat/completions HTTP/1.0\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(post10.status()).as(post10.raw()).isIn(0, 200, 505);
        post10.assertNoLeak(leakMarkers());
        // absolute form naming another host: the backend still gets its own Host, and task_002 is unreachable
        Answer abs = RawHttp.send(port, "GET http://evil.example:9/api/task/task_001/abs HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        assertThat(abs.status()).as(abs.raw()).isEqualTo(200);
        abs.assertNoLeak(leakMarkers());
        assertThat(stub.last().target()).isEqualTo("/abs");
        assertThat(stub.last().header("host")).doesNotContain("evil");
        // the authority cannot stand in for the task id (it once did: "http://xxxtask_002/..." named task_002)
        Answer absHost = RawHttp.send(port, "GET http://xxxtask_002/api/task/task_001/abs2 HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        assertThat(absHost.status()).as(absHost.raw()).isEqualTo(200);
        assertThat(stub.last().target()).isEqualTo("/abs2");
        assertThat(stub.last().header("x-task-id")).isEqualTo("task_001");
        Answer absOther = RawHttp.send(port, "GET http://127.0.0.1:" + other.port() + "/api/task/task_002/x HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + other.port() + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        assertThat(absOther.status()).as(absOther.raw()).isBetween(400, 499);
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("HTTP/0.9", "GET /health\r\n\r\n");
        odd.put("HTTP/2 version on an HTTP/1 line", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n");
        odd.put("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n");
        odd.put("lowercase version", "GET /health http/1.1\r\nHost: x\r\n\r\n");
        odd.put("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        odd.put("no target", "GET  HTTP/1.1\r\nHost: x\r\n\r\n");
        odd.put("binary", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003");
        odd.put("asterisk form", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        odd.put("authority form", "CONNECT 127.0.0.1:" + stub.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
        odd.put("method with control char", "G\u0001T /health HTTP/1.1\r\nHost: x\r\n\r\n");
        odd.put("method with @", "G@T /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        odd.put("very long method", "A".repeat(10_000) + " /health HTTP/1.1\r\nHost: x\r\n\r\n");
        odd.put("space in header name", "GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n");
        odd.put("header without colon", "GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n");
        odd.put("NUL in header value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n");
        for (var c : odd.entrySet()) {
            int before = stub.received().size();
            Answer a = RawHttp.send(port, c.getValue().getBytes(StandardCharsets.ISO_8859_1), 5_000);
            a.assertNoLeak(leakMarkers());
            assertThat(a.status()).as(c.getKey() + " → " + a.raw()).isNotIn(500, 502, 503, 504);
            if (c.getKey().startsWith("method with")) {
                assertThat(a.status()).as(c.getKey() + " → " + a.raw()).isEqualTo(400); // FramingTest: and closed
            }
            if (a.status() >= 400) {
                assertThat(RawHttp.code(a.body())).as(c.getKey() + " has a stable code: " + a.raw()).isNotNull();
            }
            assertThat(stub.received().size()).as(c.getKey() + " reached the backend").isEqualTo(before);
        }
        // unusual but valid methods on a task route are forwarded or refused, never a 5xx
        for (String m : List.of("TRACE", "PROPFIND", "FOO", "get")) {
            Answer a = RawHttp.send(port, m + " /api/task/task_001/m HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(a.status()).as(m + " → " + a.raw()).isBetween(200, 499);
            a.assertNoLeak(leakMarkers());
        }
        for (StubBackend.Received r : stub.received()) {
            assertThat(r.header("authorization")).isNull();
        }
    }

    /** A keep-alive connection that carried a refused request still serves the next one correctly. */
    @Test
    void refusalsDoNotPoisonTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            RawHttp.write(out, "GET /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer junk\r\n\r\n");
            Answer first = RawHttp.read(in);
            assertThat(first.status()).isEqualTo(401);
            RawHttp.write(out, "GET /api/task/task_001/ok HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
            Answer second = RawHttp.read(in);
            assertThat(second.status()).isEqualTo(200);
            assertThat(stub.last().target()).isEqualTo("/ok");
        }
    }
}
