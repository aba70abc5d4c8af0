package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.Json;
import org.junit.jupiter.api.Test;

/** The console's quick-ban list: busiest IPs and users over the last minute, via the admin API. */
class TopTalkersTest {
    @Test
    void busiestUsersAndIpsComeFirst() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n" + TestGateway.route("t", stub.url()))) {
            String noisy = gw.token("noisy", "default", "*");
            String quiet = gw.token("quiet", "default", "*");
            for (int i = 0; i < 12; i++) {
                gw.post("/v1/chat/completions", noisy, "{\"model\":\"t\"}");
            }
            gw.post("/v1/chat/completions", quiet, "{\"model\":\"t\"}");
            var users = TestGateway.eventually(() -> gw.send(HttpRequest.newBuilder(
                    URI.create(gw.admin() + "/admin/v1/top-talkers?by=user&limit=5")).GET(), gw.adminToken()),
                    r -> r.statusCode() != 200 || r.body().contains("\"quiet\""));
            assertThat(users.statusCode()).isEqualTo(200);
            JsonNode list = Json.mapper().readTree(users.body());
            assertThat(list.get(0).path("key").asText()).isEqualTo("noisy");
            assertThat(list.get(0).path("requestsPerMinute").asDouble()).isEqualTo(12.0);
            assertThat(list.get(0).path("tenant").asText()).isEqualTo("default");
            assertThat(list.get(1).path("key").asText()).isEqualTo("quiet");
            var ips = gw.send(HttpRequest.newBuilder(URI.create(gw.admin() + "/admin/v1/top-talkers?by=ip")).GET(), gw.adminToken());
            assertThat(Json.mapper().readTree(ips.body()).get(0).path("key").asText()).isEqualTo("127.0.0.1");
        }
    }
}
