package org.atrium.console.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayLocatorTest {
    @Test
    void stopsTheGatewayItStartedAndNothingElse(@TempDir Path dataDir) throws Exception {
        // a stand-in for the detached gateway: its command line names the gateway jar, like the real one
        Process gateway = new ProcessBuilder("sh", "-c", "sleep 300; : " + GatewayLocator.GATEWAY_JAR).start();
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(dataDir.resolve(GatewayLocator.PID_FILE), Long.toString(other.pid()));
            assertThat(GatewayLocator.stopStarted(dataDir, Duration.ofSeconds(10))).isEqualTo(GatewayLocator.StopResult.NOT_OURS);
            assertThat(other.isAlive()).isTrue(); // a reused pid is never killed

            Files.writeString(dataDir.resolve(GatewayLocator.PID_FILE), Long.toString(gateway.pid()));
            assertThat(GatewayLocator.stopStarted(dataDir, Duration.ofSeconds(10))).isEqualTo(GatewayLocator.StopResult.STOPPED);
            assertThat(gateway.isAlive()).isFalse();
            assertThat(dataDir.resolve(GatewayLocator.PID_FILE)).doesNotExist();
            assertThat(GatewayLocator.stopStarted(dataDir, Duration.ofSeconds(1))).isEqualTo(GatewayLocator.StopResult.NOT_RUNNING);
        } finally {
            gateway.destroyForcibly();
            other.destroyForcibly();
        }
        // the console offers start/stop only where no service is installed
        assertThat(GatewayLocator.managesLocalGateway(true, dataDir.resolve("no-such.service"))).isTrue();
        Files.writeString(dataDir.resolve("atrium-gateway.service"), "[Unit]");
        assertThat(GatewayLocator.managesLocalGateway(true, dataDir.resolve("atrium-gateway.service"))).isFalse();
        assertThat(GatewayLocator.managesLocalGateway(false, null)).isFalse();
    }

    @Test
    void dataDirFollowsEnvironmentThenPlatform() {
        Path home = Path.of("/home/it");
        assertThat(GatewayLocator.dataDir(Map.of("ATRIUM_DATA_DIR", "/srv/atrium"), "Linux", home)).isEqualTo(Path.of("/srv/atrium"));
        assertThat(GatewayLocator.dataDir(Map.of(), "Linux", home)).isEqualTo(Path.of("/home/it/.local/share/atrium"));
        assertThat(GatewayLocator.dataDir(Map.of("XDG_DATA_HOME", "/x"), "Linux", home)).isEqualTo(Path.of("/x/atrium"));
        assertThat(GatewayLocator.dataDir(Map.of(), "Mac OS X", home)).isEqualTo(home.resolve("Library/Application Support/Atrium"));
    }

    @Test
    void findsTheGatewayJarInTheSourceTreeLayout(@TempDir Path root) throws Exception {
        Path consoleTarget = Files.createDirectories(root.resolve("console-app/target"));
        assertThat(GatewayLocator.candidates(consoleTarget)).contains(GatewayLocator.INSTALLED_JAR);
        Path jar = Files.createDirectories(root.resolve("gateway-engine/target")).resolve("atrium-gateway.jar");
        Files.writeString(jar, "");
        assertThat(GatewayLocator.findGatewayJar(consoleTarget)).contains(jar);
    }

    @Test
    void readsTheTokenTrimmedOrNothing(@TempDir Path dir) throws Exception {
        assertThat(GatewayLocator.readToken(dir.resolve("admin.token"))).isEmpty();
        Files.writeString(dir.resolve("admin.token"), "  abc123\n");
        assertThat(GatewayLocator.readToken(dir.resolve("admin.token"))).contains("abc123");
    }

    @Test
    void remoteGatewaysAreNeverStartedLocally(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var out = GatewayLocator.ensureRunning(URI.create("http://127.0.0.1:" + port), false, true, dir, dir,
                Duration.ofSeconds(1), k -> { });
        assertThat(out.reachable()).isFalse();
        assertThat(out.messageKey()).isEqualTo("startup.unreachable");
        var local = GatewayLocator.ensureRunning(URI.create("http://127.0.0.1:" + port), true, true, dir.resolve("nowhere"), dir,
                dir.resolve("no-such.service"), Duration.ofSeconds(1), k -> { });
        // no jar beside a made-up console folder (unless one is installed on this machine)
        if (!Files.exists(GatewayLocator.INSTALLED_JAR)) {
            assertThat(local.messageKey()).isEqualTo("startup.noJar");
        }
        try (ServerSocket listening = new ServerSocket(0)) {
            var up = GatewayLocator.ensureRunning(URI.create("http://127.0.0.1:" + listening.getLocalPort()), true, true,
                    dir, dir, Duration.ofSeconds(1), k -> { });
            assertThat(up.reachable()).isTrue();
            assertThat(up.started()).isFalse();
        }
    }

    @Test
    void anInstalledServiceIsNeverShadowedByAPerUserGateway(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // A startable jar is right there, yet the installed service owns the ports: say how to start it instead.
        Path consoleDir = Files.createDirectories(dir.resolve("console"));
        Files.writeString(consoleDir.resolve(GatewayLocator.GATEWAY_JAR), "");
        Path unit = Files.writeString(dir.resolve("atrium-gateway.service"), "[Service]\n");
        java.util.List<String> progress = new java.util.ArrayList<>();
        var out = GatewayLocator.ensureRunning(URI.create("http://127.0.0.1:" + port), true, true, consoleDir,
                dir.resolve("data"), unit, Duration.ofSeconds(1), progress::add);
        assertThat(out.messageKey()).isEqualTo("startup.serviceStopped");
        assertThat(out.started()).isFalse();
        assertThat(progress).isEmpty();
        assertThat(dir.resolve("data")).doesNotExist();
        for (java.util.Locale l : new java.util.Locale[] {java.util.Locale.ENGLISH, java.util.Locale.SIMPLIFIED_CHINESE}) {
            assertThat(new org.atrium.console.view.Messages(l).get("startup.serviceStopped"))
                    .endsWith("sudo systemctl start atrium-gateway");
            assertThat(new org.atrium.console.view.Messages(l).get("startup.tokenDenied", "/var/lib/atrium/admin.token"))
                    .contains("/var/lib/atrium/admin.token", "sudo usermod -aG atrium $USER");
        }
    }

    @Test
    void theTokenOfAnInstalledServiceIsFoundWhenTheUserHasNone(@TempDir Path dir) throws Exception {
        Path user = dir.resolve("home/.local/share/atrium");
        Path installed = dir.resolve("var/lib/atrium");
        // nothing anywhere: the per-user file, where an autostarted gateway will write it
        assertThat(GatewayLocator.defaultTokenFile(user, installed)).isEqualTo(user.resolve("admin.token"));
        Files.createDirectories(installed);
        assertThat(GatewayLocator.defaultTokenFile(user, installed)).isEqualTo(user.resolve("admin.token"));
        Files.writeString(installed.resolve("admin.token"), "svc-token\n");
        assertThat(GatewayLocator.defaultTokenFile(user, installed)).isEqualTo(installed.resolve("admin.token"));
        assertThat(GatewayLocator.tryReadToken(installed.resolve("admin.token")))
                .isEqualTo(new GatewayLocator.TokenRead("svc-token", false));
        // a per-user gateway's own token wins
        Files.createDirectories(user);
        Files.writeString(user.resolve("admin.token"), "mine");
        assertThat(GatewayLocator.defaultTokenFile(user, installed)).isEqualTo(user.resolve("admin.token"));
        assertThat(GatewayLocator.tryReadToken(dir.resolve("missing/admin.token")))
                .isEqualTo(new GatewayLocator.TokenRead(null, false));
    }

    @Test
    void aTokenThisUserMayNotReadIsReportedAsDenied(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads every file");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path installed = Files.createDirectories(dir.resolve("var/lib/atrium"));
        Path token = Files.writeString(installed.resolve("admin.token"), "svc");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        assertThat(GatewayLocator.tryReadToken(token).denied()).isTrue();
        // mode 0710 for someone outside the group: the file cannot even be seen
        Files.setPosixFilePermissions(installed, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try {
            assertThat(GatewayLocator.defaultTokenFile(dir.resolve("user"), installed)).isEqualTo(token);
            assertThat(GatewayLocator.tryReadToken(token).denied()).isTrue();
        } finally {
            Files.setPosixFilePermissions(installed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }
}
