package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.atrium.gateway.config.ConfigException;
import org.atrium.gateway.route.BackendAddressPolicy;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.RouteSpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 7: routes may point at loopback and private addresses, not at link-local or cloud
 * metadata addresses, the gateway's own listeners or its Redis, unless the configuration lists the
 * address in {@code server.allowed_backend_addresses}; the refusal names the field.
 */
class BackendAddressTest {
    @Test
    void metadataLinkLocalAndOwnAddressesAreRefusedNamingTheField() throws Exception {
        BackendAddressPolicy policy = new BackendAddressPolicy(List.of(), List.of(
                new BackendAddressPolicy.Own("admin listener", "127.0.0.1", 8081),
                new BackendAddressPolicy.Own("data listener", "0.0.0.0", 8080),
                new BackendAddressPolicy.Own("Redis", "127.0.0.1", 6379)));
        assertThat(refusal(policy, "http://169.254.169.254/latest")).hasValueSatisfying(r ->
                assertThat(r).startsWith("routes[r].backends[0].url: 169.254.169.254").contains("metadata"));
        assertThat(refusal(policy, "http://[fe80::1]:8000")).isPresent();
        assertThat(refusal(policy, "http://[fd00:ec2::254]")).isPresent();
        assertThat(refusal(policy, "http://127.0.0.1:8081")).hasValueSatisfying(r -> assertThat(r).contains("admin listener"));
        assertThat(refusal(policy, "http://localhost:8080")).hasValueSatisfying(r -> assertThat(r).contains("data listener"));
        assertThat(refusal(policy, "http://127.0.0.1:6379")).hasValueSatisfying(r -> assertThat(r).contains("Redis"));
        for (String ok : List.of("http://127.0.0.1:8000", "http://10.0.0.5:8000", "http://192.168.1.20:11434",
                "http://172.16.0.9", "http://[fd00::5]:8000", "http://gpu-node-does-not-resolve.invalid:8000")) {
            assertThat(refusal(policy, ok)).as(ok).isEmpty();
        }
        BackendAddressPolicy allowing = new BackendAddressPolicy(List.of("169.254.169.254/32", "127.0.0.1/32"),
                List.of(new BackendAddressPolicy.Own("admin listener", "127.0.0.1", 8081)));
        assertThat(refusal(allowing, "http://169.254.169.254/latest")).isEmpty();
        assertThat(refusal(allowing, "http://127.0.0.1:8081")).isEmpty();
        assertThat(refusal(allowing, "http://169.254.1.1/")).isPresent();
    }

    @Test
    void aConfigurationPointingAtMetadataOrItselfDoesNotStart() throws Exception {
        assertThatThrownBy(() -> TestGateway.start("routes:\n" + TestGateway.route("meta", "http://169.254.169.254")).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[meta].backends[0].url");
        int admin;
        try (ServerSocket s = new ServerSocket(0)) {
            admin = s.getLocalPort();
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("atrium-addr");
        java.nio.file.Path cfg = java.nio.file.Files.writeString(dir.resolve("atrium.yaml"),
                "routes:\n" + TestGateway.route("loop", "http://127.0.0.1:" + admin));
        assertThatThrownBy(() -> org.atrium.gateway.GatewayServer.start(new org.atrium.gateway.GatewayServer.Options(cfg,
                dir.resolve("data"), java.util.Map.of("JWT_SECRET", TestGateway.SECRET), null, 0, admin)).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[loop].backends[0].url")
                .hasMessageContaining("admin listener");
        try (TestGateway allowed = TestGateway.start("server:\n  allowed_backend_addresses: [169.254.169.254/32]\nroutes:\n"
                + TestGateway.route("meta", "http://169.254.169.254"))) {
            assertThat(allowed.server().routes().table().byId("meta")).isPresent();
        }
    }

    @Test
    void aRouteToAMetadataAddressIsRefusedByTheApiAndNeverUsed() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n" + TestGateway.route("fine", stub.url()))) {
            HttpResponse<String> r = gw.http().send(HttpRequest.newBuilder(URI.create(gw.admin() + "/admin/v1/routes"))
                    .header("Authorization", "Bearer " + gw.adminToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"meta\",\"backends\":[{\"url\":\"http://169.254.169.254\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            // the admin API refuses it as a file route is refused, naming the backend's url
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"field\":\"backends[0].url\"").contains("169.254.169.254");
            // one written to the store by other means is left out of the route table
            gw.server().store().putRoute(RouteSpec.simple("meta", "http://169.254.169.254"));
            Thread.sleep(1500); // the store's change reaches the route table within a second
            assertThat(gw.server().routes().table().byId("meta")).isEmpty();
            assertThat(gw.server().routes().table().byId("fine")).isPresent();
            String token = gw.token("u", "default", "meta");
            assertThat(gw.get("/api/task/meta/latest/meta-data", token).statusCode()).isEqualTo(404);
        }
    }

    private static Optional<String> refusal(BackendAddressPolicy p, String url) {
        return p.refusal(RouteSpec.simple("r", url));
    }
}
