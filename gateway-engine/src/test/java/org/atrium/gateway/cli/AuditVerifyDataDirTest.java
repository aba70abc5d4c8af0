package org.atrium.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.atrium.gateway.GatewayServer;
import org.atrium.gateway.cli.AdminCliTest.Run;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 12: {@code audit verify --data-dir DIR} checks DIR's audit trail, even while some
 * gateway answers on the default admin address; a gateway is asked only with {@code --gateway}.
 */
class AuditVerifyDataDirTest {
    @TempDir
    Path dir;

    @Test
    void anExplicitDataDirIsWhatGetsVerified() throws Exception {
        Path data = dir.resolve("stopped");
        try (GatewayServer g = GatewayServer.start(new GatewayServer.Options(null, data, Map.of("JWT_SECRET", TestGateway.SECRET),
                null, 0, 0))) {
            assertThat(AdminCliTest.cli("tenant", "add", "t1", "--gateway", "http://127.0.0.1:" + g.adminPort(),
                    "--data-dir", data.toString()).exit()).isZero();
            assertThat(AdminCliTest.cli("tenant", "add", "t2", "--gateway", "http://127.0.0.1:" + g.adminPort(),
                    "--data-dir", data.toString()).exit()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("atrium.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 1");
        }
        // something answers on the default admin address (when the port is free here, this test holds it)
        ServerSocket defaultAddress = bindDefault();
        try (TestGateway running = TestGateway.start("routes: []\n")) {
            Run local = AdminCliTest.cli("audit", "verify", "--data-dir", data.toString());
            assertThat(local.exit()).as(local.out() + local.err()).isEqualTo(ExitCodes.AUDIT_BROKEN);
            assertThat(local.out()).contains("audit chain broken: entry 1");
            if (defaultAddress != null) {
                defaultAddress.setSoTimeout(200);
                try {
                    defaultAddress.accept().close();
                    throw new AssertionError("audit verify --data-dir connected to the default gateway address");
                } catch (SocketTimeoutException expected) {
                    // nobody asked
                }
            }
            // asked explicitly, the running gateway's own (intact) trail is what is checked
            Run remote = AdminCliTest.cli("audit", "verify", "--data-dir", running.server().dataDir().toString(),
                    "--gateway", running.admin());
            assertThat(remote.exit()).as(remote.err()).isZero();
            // a data dir that holds nothing is an error, not a silent fallback to a gateway
            Run empty = AdminCliTest.cli("audit", "verify", "--data-dir", Files.createDirectories(dir.resolve("empty")).toString());
            assertThat(empty.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(empty.err()).contains("holds no gateway data");
        } finally {
            if (defaultAddress != null) {
                defaultAddress.close();
            }
        }
    }

    private static ServerSocket bindDefault() {
        try {
            return new ServerSocket(8081, 50, InetAddress.getLoopbackAddress());
        } catch (IOException inUse) {
            return null; // something else already answers there, which is the case under test as well
        }
    }
}
