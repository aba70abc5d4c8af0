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
                Duration.ofSeconds(1), k -> { });
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
}
