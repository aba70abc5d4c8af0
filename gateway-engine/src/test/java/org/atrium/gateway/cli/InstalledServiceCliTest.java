package org.atrium.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atrium.gateway.Main;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with no option finds the installed service ({@code /etc/atrium/atrium.yaml},
 * {@code /var/lib/atrium}, here under a temporary root) when the per-user data folder holds no
 * gateway: the admin port from the service's configuration, the admin token from its data dir.
 */
class InstalledServiceCliTest {
    @TempDir
    Path tmp;
    private String savedHome;

    @BeforeEach
    void fakeLayout() {
        Assumptions.assumeTrue(System.getenv("ATRIUM_DATA_DIR") == null && System.getenv("XDG_DATA_HOME") == null,
                "the environment names a data dir");
        savedHome = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString()); // a user with no gateway of their own
        System.setProperty(InstalledService.ROOT_PROPERTY, tmp.resolve("root").toString());
    }

    @AfterEach
    void restore() {
        if (savedHome != null) {
            System.setProperty("user.home", savedHome);
        }
        System.clearProperty(InstalledService.ROOT_PROPERTY);
    }

    private Path installService(Path dataDir, int adminPort) throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/atrium"));
        Files.createDirectories(root.resolve("var/lib"));
        Files.createSymbolicLink(root.resolve("var/lib/atrium"), dataDir);
        Path config = root.resolve("etc/atrium/atrium.yaml");
        Files.writeString(config, "admin:\n  port: " + adminPort + "\n  host: 127.0.0.1\n");
        return config;
    }

    @Test
    void withoutOptionsTheCliTalksToTheInstalledServiceOnItsConfiguredAdminPort() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n" + TestGateway.route("task_001", stub.url()))) {
            int adminPort = Integer.parseInt(gw.admin().replaceAll(".*:(\\d+)/?$", "$1"));
            Path config = installService(gw.server().dataDir(), adminPort);

            ConnectionOptions conn = new ConnectionOptions();
            assertThat(conn.dataDir()).isEqualTo(tmp.resolve("root/var/lib/atrium"));
            assertThat(conn.config()).isEqualTo(config);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute("tenant", "add", "radiology")).as(err.toString()).isZero();
            // it went to the running gateway (audited as the admin token), not to the store behind its back
            assertThat(gw.server().store().audit(null, null, "admin-token")).extracting(e -> e.target()).contains("radiology");
        }
    }

    @Test
    void anOptionOrAPerUserGatewayWinsOverTheInstalledService() throws Exception {
        installService(Files.createDirectories(tmp.resolve("service-data")), 18081);
        ConnectionOptions conn = new ConnectionOptions();
        assertThat(conn.dataDir()).isEqualTo(tmp.resolve("root/var/lib/atrium"));
        assertThat(conn.gateway(org.atrium.gateway.config.ConfigLoader.load(conn.config())))
                .isEqualTo("http://127.0.0.1:18081");

        conn.dataDir = tmp.resolve("elsewhere");
        assertThat(conn.dataDir()).isEqualTo(tmp.resolve("elsewhere"));
        assertThat(conn.config()).as("not the service's data dir: not its config").isNull();
        assertThat(conn.gateway(null)).isEqualTo(ConnectionOptions.DEFAULT_GATEWAY);

        Path perUser = Files.createDirectories(tmp.resolve("home/.local/share/atrium"));
        Files.writeString(perUser.resolve(LocalAdminClient.DB_FILE), "");
        ConnectionOptions mine = new ConnectionOptions();
        assertThat(mine.dataDir()).as("a developer's own gateway").isEqualTo(perUser);
    }

    @Test
    void noInstalledServiceMeansThePerUserFolderAsBefore() {
        ConnectionOptions conn = new ConnectionOptions();
        assertThat(conn.dataDir()).isEqualTo(tmp.resolve("home/.local/share/atrium"));
        assertThat(conn.config()).isNull();
    }
}
