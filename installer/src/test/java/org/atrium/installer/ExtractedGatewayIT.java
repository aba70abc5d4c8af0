package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the built .deb into a temporary root (no install, no root needed) and starts the gateway
 * launcher from there the way the systemd unit does, on free ports and a temporary data dir.
 */
class ExtractedGatewayIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void extractedGatewayServesHealthAndWritesItsSecrets(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("root");
        Commands.ok("dpkg-deb", "-x", BuiltDeb.find().toString(), root.toString());
        Path launcher = root.resolve("opt/atrium/bin/atrium-gateway");
        assertThat(Files.isExecutable(launcher)).isTrue();

        // The shipped config, with this test's ports and log path (the rest as installed).
        int dataPort = freePort();
        int adminPort = freePort();
        String config = Files.readString(root.resolve("etc/atrium/atrium.yaml"))
                .replace("port: 8080", "port: " + dataPort)
                .replace("port: 8081", "port: " + adminPort)
                .replace("/var/log/atrium/access.log", tmp.resolve("access.log").toString());
        Path configFile = tmp.resolve("atrium.yaml");
        Files.writeString(configFile, config);
        Path dataDir = tmp.resolve("data");

        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", configFile.toString(),
                "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("gateway.log").toFile());
        pb.environment().put("ATRIUM_ADMIN_TOKEN_GROUP_READABLE", "true"); // as the unit sets it
        pb.environment().remove("JWT_SECRET");
        Process gateway = pb.start();
        try {
            HttpResponse<String> health = awaitHealth(gateway, dataPort, tmp.resolve("gateway.log"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("admin.token"))))
                    .isEqualTo("rw-r-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("jwt.secret"))))
                    .isEqualTo("rw-------");
        } finally {
            gateway.destroy(); // SIGTERM, as systemctl stop
            boolean exited = gateway.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                gateway.destroyForcibly();
            }
            assertThat(exited).as("gateway stops on SIGTERM").isTrue();
        }
        assertThat(gateway.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
    }

    private static HttpResponse<String> awaitHealth(Process gateway, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited with " + gateway.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("no /health answer within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
