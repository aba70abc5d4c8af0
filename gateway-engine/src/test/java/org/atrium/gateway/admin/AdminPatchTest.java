package org.atrium.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.AuditEntry;
import org.atrium.model.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PATCH (JSON merge patch) of tenants and routes through real sockets, next to PUT's full replace. */
class AdminPatchTest {
    static final ObjectMapper JSON = Json.mapper();
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("routes:\n" + TestGateway.route("task_001", stub.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.admin() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return gw.send(b, gw.adminToken());
    }

    static HttpResponse<String> patch(String path, String body) {
        return send("PATCH", path, MergePatch.MEDIA_TYPE, body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("code").asText()).as(r.body()).isEqualTo(code);
        if (field != null) {
            assertThat(json(r).path("field").asText()).as(r.body()).isEqualTo(field);
        }
        assertThat(r.body()).doesNotContain("Exception");
    }

    @Test
    void patchingATenantChangesOnlyTheFieldsItNamesWhilePutReplacesTheWholeTenant() throws Exception {
        assertThat(send("POST", "/admin/v1/tenants", "application/json", "{\"id\":\"radiology\",\"name\":\"Radiology\","
                + "\"weight\":3,\"priority\":\"high\",\"dailyTokenQuota\":100000,\"allowedRoutes\":[\"task_001\"]}")
                .statusCode()).isEqualTo(201);
        String token = gw.token("dr_li", "radiology", "task_001");
        assertThat(gw.get("/api/task/task_001/v1/models", token).statusCode()).isEqualTo(200);

        HttpResponse<String> disabled = patch("/admin/v1/tenants/radiology", "{\"enabled\":false}");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        JsonNode t = json(disabled);
        assertThat(t.path("enabled").asBoolean()).isFalse();
        assertThat(t.path("name").asText()).isEqualTo("Radiology");
        assertThat(t.path("weight").asInt()).isEqualTo(3);
        assertThat(t.path("priority").asText()).isEqualTo("high");
        assertThat(t.path("dailyTokenQuota").asLong()).isEqualTo(100000);
        assertThat(t.path("allowedRoutes").get(0).asText()).isEqualTo("task_001");
        assertThat(json(send("GET", "/admin/v1/tenants/radiology", null, null))).isEqualTo(t); // stored, not just answered
        assertThat(gw.get("/api/task/task_001/v1/models", token).statusCode()).isEqualTo(403); // the next request

        // application/json is accepted too; null removes a field (back to the gateway default), arrays are replaced
        HttpResponse<String> p2 = send("PATCH", "/admin/v1/tenants/radiology", "application/json; charset=utf-8",
                "{\"enabled\":true,\"dailyTokenQuota\":null,\"allowedRoutes\":[\"*\"]}");
        assertThat(p2.statusCode()).as(p2.body()).isEqualTo(200);
        assertThat(json(p2).has("dailyTokenQuota")).isFalse();
        assertThat(json(p2).path("allowedRoutes").toString()).isEqualTo("[\"*\"]");
        assertThat(json(p2).path("weight").asInt()).isEqualTo(3);
        assertThat(gw.get("/api/task/task_001/v1/models", token).statusCode()).isEqualTo(200);

        // PUT stays a full replace: what it leaves out takes its default
        HttpResponse<String> put = send("PUT", "/admin/v1/tenants/radiology", "application/json",
                "{\"id\":\"radiology\",\"enabled\":false}");
        assertThat(json(put).path("weight").asInt()).isEqualTo(1);
        assertThat(json(put).path("priority").asText()).isEqualTo("normal");
        assertThat(json(put).path("name").asText()).isEqualTo("radiology");

        // the default tenant exists before it is stored, so it can be patched
        HttpResponse<String> dflt = patch("/admin/v1/tenants/default", "{\"weight\":5}");
        assertThat(dflt.statusCode()).as(dflt.body()).isEqualTo(200);
        assertThat(json(dflt).path("weight").asInt()).isEqualTo(5);

        // audited like PUT: before and after, with the actor
        List<AuditEntry> audit = gw.server().store().audit(null, null, null).stream()
                .filter(e -> e.target().equals("radiology")).toList();
        assertThat(audit).extracting(AuditEntry::action)
                .containsExactly("tenant.create", "tenant.update", "tenant.update", "tenant.update");
        AuditEntry disable = audit.get(1);
        assertThat(JSON.readTree(disable.before()).path("enabled").asBoolean()).isTrue();
        assertThat(JSON.readTree(disable.after()).path("enabled").asBoolean()).isFalse();
        assertThat(JSON.readTree(disable.after()).path("weight").asInt()).isEqualTo(3);
        assertThat(disable.actor()).isEqualTo("admin-token");
    }

    @Test
    void aTenantPatchIsValidatedAsAPutIsWithTheFieldNamed() throws Exception {
        send("POST", "/admin/v1/tenants", "application/json", "{\"id\":\"cardiology\",\"weight\":2}");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"weight\":0}"), 400, "VALIDATION_FAILED", "weight");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"wieght\":2}"), 400, "VALIDATION_FAILED", "wieght");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"weight\":\"heavy\"}"), 400, "VALIDATION_FAILED", "weight");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"priority\":\"urgent\"}"), 400, "VALIDATION_FAILED", "priority");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"id\":\"other\"}"), 400, "VALIDATION_FAILED", "id");
        assertError(patch("/admin/v1/tenants/cardiology", "{\"weight\":"), 400, "BAD_REQUEST", null);
        assertError(patch("/admin/v1/tenants/cardiology", "[{\"op\":\"replace\"}]"), 400, "BAD_REQUEST", null);
        assertError(patch("/admin/v1/tenants/cardiology", null), 400, "BAD_REQUEST", null);
        assertError(send("PATCH", "/admin/v1/tenants/cardiology", "text/plain", "{\"weight\":2}"), 415,
                "UNSUPPORTED_MEDIA_TYPE", null);
        assertError(send("PATCH", "/admin/v1/tenants/cardiology", "application/json-patch+json", "[]"), 415,
                "UNSUPPORTED_MEDIA_TYPE", null);
        assertError(patch("/admin/v1/tenants/nope", "{\"weight\":2}"), 404, "NOT_FOUND", null);
        // nothing of the refused patches was stored or audited
        assertThat(json(send("GET", "/admin/v1/tenants/cardiology", null, null)).path("weight").asInt()).isEqualTo(2);
        assertThat(gw.server().store().audit(null, null, null)).filteredOn(e -> e.target().equals("cardiology"))
                .extracting(AuditEntry::action).containsExactly("tenant.create");
    }

    @Test
    void patchingARouteKeepsItsKeyAndBackendsAndFileRoutesStayReadOnly() throws Exception {
        HttpResponse<String> created = send("POST", "/admin/v1/routes", "application/json",
                "{\"id\":\"Qwen/Qwen3-8B\",\"aliases\":[\"qwen8\"],\"upstreamApiKey\":\"sk-patch-secret\","
                        + "\"readTimeoutSeconds\":120,\"backends\":[{\"url\":\"" + stub.url() + "\",\"maxConcurrency\":4}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = gw.token("rui", "default", "*");

        HttpResponse<String> p = patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"healthPath\":\"/health\",\"cache\":true}");
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        JsonNode r = json(p);
        assertThat(r.path("healthPath").asText()).isEqualTo("/health");
        assertThat(r.path("cache").asBoolean()).isTrue();
        assertThat(r.path("readTimeoutSeconds").asInt()).isEqualTo(120);
        assertThat(r.path("aliases").get(0).asText()).isEqualTo("qwen8");
        assertThat(r.path("backends").get(0).path("maxConcurrency").asInt()).isEqualTo(4);
        assertThat(r.path("upstreamApiKey").asText()).isEqualTo(RouteService.MASK);
        assertThat(r.path("source").asText()).isEqualTo("store");
        assertThat(p.body()).doesNotContain("sk-patch-secret");
        HttpResponse<String> call = gw.post("/v1/chat/completions", token, "{\"model\":\"qwen8\",\"messages\":[]}");
        assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        assertThat(stub.last().header("authorization")).isEqualTo("sk-patch-secret"); // the stored key was kept

        assertError(patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"backends\":[]}"), 400, "VALIDATION_FAILED", "backends");
        assertError(patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"readTimeoutSeconds\":0}"), 400, "VALIDATION_FAILED",
                "readTimeoutSeconds");
        assertError(patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"aliases\":[\"task_001\"]}"), 409, "CONFLICT", "aliases");
        assertError(patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"balancer\":\"random\"}"), 400, "VALIDATION_FAILED",
                "balancer");

        // null removes a field: the key (the next call goes without it) and the cache (back to its default, off)
        HttpResponse<String> removed = patch("/admin/v1/routes/Qwen%2FQwen3-8B", "{\"upstreamApiKey\":null,\"cache\":null}");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(json(removed).has("upstreamApiKey")).isFalse();
        assertThat(json(removed).path("cache").asBoolean()).isFalse();
        assertThat(gw.post("/v1/chat/completions", token, "{\"model\":\"qwen8\",\"messages\":[]}").statusCode())
                .isEqualTo(200);
        assertThat(stub.last().header("authorization")).isNull();

        // a file route: read-only through the API for PATCH as for PUT
        HttpResponse<String> ro = patch("/admin/v1/routes/task_001", "{\"healthPath\":\"/health\"}");
        assertError(ro, 409, "CONFLICT", null);
        assertThat(json(ro).path("error").asText()).contains("configuration file");
        assertError(patch("/admin/v1/routes/missing", "{\"cache\":true}"), 404, "NOT_FOUND", null);

        List<AuditEntry> audit = gw.server().store().audit(null, null, null).stream()
                .filter(e -> e.target().equals("Qwen/Qwen3-8B")).toList();
        assertThat(audit).extracting(AuditEntry::action).containsExactly("route.create", "route.update", "route.update");
        assertThat(audit).allSatisfy(e -> assertThat(e.before() + "" + e.after()).doesNotContain("sk-patch-secret"));
    }

    @Test
    void openApiDescribesPatchAsAMergePatchAndPutAsAFullReplace() throws Exception {
        JsonNode doc = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(send("GET", "/admin/v1/openapi.yaml", null, null).body());
        for (String path : List.of("/admin/v1/tenants/{id}", "/admin/v1/routes/{id}")) {
            JsonNode op = doc.path("paths").path(path);
            assertThat(op.path("patch").path("requestBody").path("content").has(MergePatch.MEDIA_TYPE)).as(path).isTrue();
            assertThat(op.path("patch").path("responses").has("415")).as(path).isTrue();
            assertThat(op.path("put").path("description").asText()).as(path).contains("full replace");
        }
        for (String ref : doc.findValuesAsText("$ref")) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void auditorsCannotPatch() throws Exception {
        long now = java.time.Instant.now().getEpochSecond();
        String auditor = org.atrium.gateway.testing.Tokens.hs256(TestGateway.SECRET, "{\"sub\":\"ines\",\"role\":\"auditor\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"jti\":\"aud-1\"}");
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.admin() + "/admin/v1/tenants/default"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}"))
                .header("Content-Type", MergePatch.MEDIA_TYPE), auditor);
        assertError(r, 403, "FORBIDDEN", null);
    }
}
