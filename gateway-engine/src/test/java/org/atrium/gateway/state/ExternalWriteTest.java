package org.atrium.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.TenantSpec;
import org.junit.jupiter.api.Test;

/** A write made to the data dir by another process (the offline CLI) applies to a running gateway. */
class ExternalWriteTest {
    @Test
    void tenantWrittenByAnotherConnectionIsSeenWithinSeconds() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n" + TestGateway.route("t", stub.url()))) {
            String token = gw.token("u", "oncology", "*");
            assertThat(gw.post("/v1/chat/completions", token, "{\"model\":\"t\"}").statusCode()).isEqualTo(403);
            try (SqliteStateStore other = new SqliteStateStore(gw.server().dataDir().resolve("atrium.db"), true,
                    Clock.systemUTC())) {
                other.putTenant(TenantSpec.of("oncology"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 403;
            while (status != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = gw.post("/v1/chat/completions", token, "{\"model\":\"t\"}").statusCode();
            }
            assertThat(status).isEqualTo(200);
        }
    }
}
