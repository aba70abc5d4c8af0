package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.Json;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 6: bans and revocations apply to admin and auditor JWTs on the admin listener. A
 * banned user, a banned token id or a revoked token loses its admin rights at once and cannot
 * lift its own ban; the data dir's admin token (the operator's break-glass credential) still works.
 */
class AdminIdentityTest {
    @Test
    void bannedOrRevokedAdminJwtsLoseAdminRights() throws Exception {
        try (TestGateway gw = TestGateway.start("routes: []\n")) {
            String rogue = issue(gw, "rogue_admin", "admin");
            String other = issue(gw, "other_admin", "admin");
            String auditor = issue(gw, "nosy_auditor", "auditor");
            for (String t : new String[] {rogue, other, auditor}) {
                assertThat(call(gw, "GET", "/admin/v1/bans", t, null).statusCode()).isEqualTo(200);
            }
            // a user ban: the admin JWT is refused, and cannot delete its own ban
            assertThat(call(gw, "POST", "/admin/v1/bans", gw.adminToken(),
                    "{\"type\":\"user\",\"target\":\"rogue_admin\",\"reason\":\"t\",\"durationSeconds\":600}").statusCode()).isEqualTo(201);
            HttpResponse<String> refused = call(gw, "GET", "/admin/v1/bans", rogue, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(RawHttp.code(refused.body())).isEqualTo("USER_BLACKLISTED");
            assertThat(call(gw, "DELETE", "/admin/v1/bans/user/rogue_admin", rogue, null).statusCode()).isEqualTo(403);
            assertThat(call(gw, "POST", "/admin/v1/bans", rogue,
                    "{\"type\":\"user\",\"target\":\"other_admin\",\"reason\":\"revenge\",\"durationSeconds\":600}").statusCode())
                    .isEqualTo(403);
            assertThat(call(gw, "GET", "/admin/v1/bans", other, null).statusCode()).isEqualTo(200);
            // a token-id ban on the auditor
            String auditorJti = jti(auditor);
            assertThat(call(gw, "POST", "/admin/v1/bans", gw.adminToken(),
                    "{\"type\":\"token\",\"target\":\"" + auditorJti + "\",\"reason\":\"t\",\"durationSeconds\":600}").statusCode())
                    .isEqualTo(201);
            HttpResponse<String> audit = call(gw, "GET", "/admin/v1/audit", auditor, null);
            assertThat(audit.statusCode()).isEqualTo(403);
            assertThat(RawHttp.code(audit.body())).isEqualTo("BLACKLISTED");
            // a revoked admin token
            assertThat(call(gw, "DELETE", "/admin/v1/tokens/" + jti(other), gw.adminToken(), null).statusCode()).isEqualTo(204);
            HttpResponse<String> revoked = call(gw, "GET", "/admin/v1/bans", other, null);
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(RawHttp.code(revoked.body())).isEqualTo("INVALID_TOKEN");
            // the break-glass admin token still works and lifts the ban
            assertThat(call(gw, "DELETE", "/admin/v1/bans/user/rogue_admin", gw.adminToken(), null).statusCode()).isEqualTo(204);
            assertThat(call(gw, "GET", "/admin/v1/bans", rogue, null).statusCode()).isEqualTo(200);
        }
    }

    private static String issue(TestGateway gw, String user, String role) throws Exception {
        HttpResponse<String> r = call(gw, "POST", "/admin/v1/tokens", gw.adminToken(),
                "{\"user\":\"" + user + "\",\"role\":\"" + role + "\",\"allowedTasks\":[\"*\"],\"ttlSeconds\":3600}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body()).path("token").asText();
    }

    private static String jti(String token) throws Exception {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        return Json.mapper().readTree(payload).path("jti").asText();
    }

    private static HttpResponse<String> call(TestGateway gw, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.admin() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
