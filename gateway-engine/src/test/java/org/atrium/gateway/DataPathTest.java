package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.atrium.model.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The data path through real sockets: routing, auth errors, identity headers, usage. */
class DataPathTest {
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("routes:\n"
                + "  - id: task_001\n    aliases: [qwen3-8b]\n    backends:\n      - url: " + stub.url() + "\n"
                + "  - id: task_002\n    backends:\n      - url: " + stub.url() + "\n"
                + "  - id: embed\n    backends:\n      - url: " + stub.url() + "/\n");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void healthAndReady() {
        HttpResponse<String> h = gw.get("/health", null);
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEqualTo("OK\n");
        assertThat(h.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(gw.get("/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void referenceTokenRoutesByTaskToBackendPathAndQuery() throws Exception {
        long now = Instant.now().getEpochSecond();
        String token = Tokens.referenceUserToken(TestGateway.SECRET, "user_alice", now, "task_001", "task_002");
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/v1/chat/completions?x=1&y=%20z"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"anything\",\"messages\":[]}")), token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("usage").path("completion_tokens").asInt()).isEqualTo(7);
        StubBackend.Received got = stub.last();
        assertThat(got.target()).isEqualTo("/v1/chat/completions?x=1&y=%20z");
        assertThat(got.header("x-user-id")).isEqualTo("user_alice");
        assertThat(got.header("x-task-id")).isEqualTo("task_001");
        assertThat(got.header("x-tenant-id")).isEqualTo("default");
        assertThat(got.header("authorization")).isNull();
        assertThat(got.header("x-request-id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
        assertThat(r.headers().firstValue("x-upstream")).hasValue("task_001#1");
    }

    @Test
    void errorCodesInReferenceShape() throws Exception {
        String token = gw.token("bob", "default", "task_001");
        HttpResponse<String> none = gw.get("/api/task/task_001/x", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).path("code").asText()).isEqualTo("NO_TOKEN");
        assertThat(json(none).path("error").asText()).isEqualTo("Missing authorization header");

        HttpResponse<String> bad = gw.get("/api/task/task_001/x", token + "x");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).path("code").asText()).isEqualTo("INVALID_TOKEN");

        HttpResponse<String> missing = gw.get("/api/task/", token);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).path("code").asText()).isEqualTo("MISSING_TASK_ID");

        HttpResponse<String> forbidden = gw.get("/api/task/task_002/x", token);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(json(forbidden).path("task_id").asText()).isEqualTo("task_002");

        String all = gw.token("bob", "default", "*");
        HttpResponse<String> notFound = gw.get("/api/task/nope/x", all);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(notFound.body()).doesNotContain("127.0.0.1");
    }

    @Test
    void openAiRoutesByModelAliasWithOpenAiErrorShape() throws Exception {
        String token = gw.token("carol", "default", "task_001");
        HttpResponse<String> ok = gw.post("/v1/chat/completions", token,
                "{\"model\":\"qwen3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(stub.last().target()).isEqualTo("/v1/chat/completions");
        assertThat(stub.last().header("x-task-id")).isEqualTo("task_001");

        HttpResponse<String> forbidden = gw.post("/v1/chat/completions", token, "{\"model\":\"task_002\",\"messages\":[]}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).path("error").path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(json(forbidden).path("error").path("type").asText()).isEqualTo("permission_error");

        HttpResponse<String> noModel = gw.post("/v1/chat/completions", token, "{\"messages\":[]}");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(json(noModel).path("error").path("code").asText()).isEqualTo("MISSING_TASK_ID");

        HttpResponse<String> notString = gw.post("/v1/chat/completions", token, "{\"model\":5}");
        assertThat(notString.statusCode()).isEqualTo(400);
        HttpResponse<String> dup = gw.post("/v1/chat/completions", token, "{\"model\":\"task_001\",\"model\":\"task_002\"}");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(json(dup).path("error").path("code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void modelsListsOnlyWhatTheTokenMayUse() throws Exception {
        HttpResponse<String> r = gw.get("/v1/models", gw.token("dan", "default", "task_001"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode data = json(r).path("data");
        assertThat(data.findValuesAsText("id")).containsExactlyInAnyOrder("task_001", "qwen3-8b");
        HttpResponse<String> all = gw.get("/v1/models", gw.token("dan", "default", "*"));
        assertThat(json(all).path("data").findValuesAsText("id")).contains("task_001", "task_002", "embed");
    }

    @Test
    void spoofedIdentityHeadersAreReplaced() {
        String token = gw.token("erin", "default", "task_001");
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/task_001/echo"))
                .header("X-User-ID", "admin").header("X-Tenant-ID", "icu").header("X-Forwarded-For", "1.2.3.4")
                .header("X-Real-IP", "1.2.3.4").header("X-Task-ID", "task_999")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), token);
        assertThat(r.statusCode()).isEqualTo(200);
        StubBackend.Received got = stub.last();
        assertThat(got.header("x-user-id")).isEqualTo("erin");
        assertThat(got.header("x-tenant-id")).isEqualTo("default");
        assertThat(got.header("x-task-id")).isEqualTo("task_001");
        assertThat(got.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(got.header("x-real-ip")).isEqualTo("127.0.0.1");
    }
}
