package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks each built package (.deb, .rpm, .tar.gz) into a temporary root (no install, no root
 * needed) and runs it from there: the gateway launcher the way the systemd unit does, and the
 * {@code atrium} command the way an operator would, finding the "installed" service under that
 * root ({@code ATRIUM_SERVICE_ROOT}) with no option.
 */
class ExtractedGatewayIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @ParameterizedTest
    @EnumSource(Extracted.class)
    void extractedGatewayServesHealthAndWritesItsSecrets(Extracted kind, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(kind.built(), kind + " not built here");
        Path root = kind.extract(tmp);
        Path launcher = root.resolve("opt/atrium/bin/atrium-gateway");
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(root.resolve(kind.unitDir).resolve("atrium-gateway.service")).isRegularFile();

        // The AOT cache trained at build time: the launcher uses it from wherever the package lies;
        // without it (here: the .tar.gz's copy deleted) the gateway starts all the same, only slower.
        Path aot = root.resolve("opt/atrium/lib/app/atrium-gateway.aot");
        assertThat(aot).isRegularFile();
        assertThat(Files.readAllLines(root.resolve("opt/atrium/lib/app/atrium-gateway.cfg")))
                .contains("java-options=-XX:AOTCache=$APPDIR/atrium-gateway.aot");
        boolean withoutCache = kind == Extracted.TGZ;
        if (withoutCache) {
            Files.delete(aot);
        }

        int dataPort = freePort();
        Path configFile = tmp.resolve("atrium.yaml");
        Files.writeString(configFile, config(root, dataPort, freePort(), tmp));
        Path dataDir = tmp.resolve("data");

        // The JVM's own word on the cache: -Xlog:aot says whether it is mapped, -Xlog:class+load where
        // each class came from ("shared objects file" = the cache). Added through JAVA_TOOL_OPTIONS,
        // which the JVM reads whatever the launcher passes.
        Path aotLog = tmp.resolve("aot.log");
        Path classLog = tmp.resolve("class-load.log");
        // its own temp dir, to see that SQLite's library is loaded from the package, not copied there
        Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
        long started = System.nanoTime();
        Process gateway = start(List.of(launcher.toString(), "--config", configFile.toString(),
                "--data-dir", dataDir.toString()), Map.of("ATRIUM_ADMIN_TOKEN_GROUP_READABLE", "true",
                "JAVA_TOOL_OPTIONS", "-Xlog:aot=info:file=" + aotLog + " -Xlog:class+load=info:file=" + classLog
                        + " -Djava.io.tmpdir=" + jvmTmp), tmp);
        try {
            HttpResponse<String> health = awaitHealth(gateway, dataPort, tmp.resolve("gateway.log"));
            System.out.printf("%s: /health after %d ms (%s AOT cache)%n", kind, (System.nanoTime() - started) / 1_000_000,
                    withoutCache ? "without" : "with");
            String log = Files.readString(tmp.resolve("gateway.log"));
            if (!withoutCache) {
                assertThat(log).as("the cache loads from the unpacked location").doesNotContain("[error][aot]")
                        .as("JDK 25's harmless adapter warnings are kept out of the service log")
                        .doesNotContain("[warning][aot");
                assertThat(Files.readString(aotLog)).as("-Xlog:aot of the packaged gateway")
                        .contains("Opened AOT cache").contains("atrium-gateway.aot")
                        .contains("Using AOT-linked classes: true");
                List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
                List<String> fromJars = loaded.stream().filter(l -> l.contains(" source: file:")).toList();
                long cached = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
                System.out.printf("%s: %d of %d classes loaded up to /health came from the AOT cache, %d from jars%n",
                        kind, cached, loaded.size(), fromJars.size());
                // the training run covers the start: only a few classes still come from a jar (picocli's
                // Java 5 classes did, ~170, until the gateway stopped using picocli for a plain start)
                assertThat(cached).as("classes from the cache").isGreaterThan(loaded.size() * 9L / 10);
                assertThat(fromJars).as("classes read from jars although the cache was trained on this start").hasSizeLessThan(50);
            }
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK\n");
            assertThat(root.resolve("opt/atrium/lib/app/native/libsqlitejdbc.so")).isRegularFile();
            try (var left = Files.list(jvmTmp)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("SQLite's library is loaded from lib/app/native, not unpacked into java.io.tmpdir")
                        .noneMatch(n -> n.contains("sqlite"));
            }
            assertThat(mode(dataDir.resolve("admin.token"))).isEqualTo("rw-r-----");
            assertThat(mode(dataDir.resolve("jwt.secret"))).isEqualTo("rw-------");
        } finally {
            stop(gateway);
        }
        assertThat(gateway.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
    }

    @ParameterizedTest
    @EnumSource(Extracted.class)
    void theAtriumCommandRunsTheServiceAndFindsItWithNoOption(Extracted kind, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(kind.built(), kind + " not built here");
        Path root = kind.extract(tmp);
        Path atrium = root.resolve("opt/atrium/bin/atrium-cli");
        // the "installed" service under this root, as postinst leaves it, with this test's ports
        int dataPort = freePort();
        Files.writeString(root.resolve("etc/atrium/atrium.yaml"), config(root, dataPort, freePort(), tmp));
        Path dataDir = Files.createDirectories(root.resolve("var/lib/atrium"));
        Map<String, String> env = Map.of("ATRIUM_SERVICE_ROOT", root.toString(),
                "HOME", Files.createDirectories(tmp.resolve("home")).toString());

        Commands.Result help = run(atrium, env, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("Usage: atrium COMMAND", "gateway", "token", "tenant", "ban", "route", "audit",
                "console");
        assertThat(run(atrium, env, "gateway", "--help").output()).contains("Usage: atrium gateway", "sudo -u atrium");
        for (String cmd : List.of("token", "tenant", "ban", "route", "audit")) {
            Commands.Result r = run(atrium, env, cmd, "--help");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.output()).as(cmd).contains("Usage: atrium " + cmd);
        }
        assertThat(run(atrium, env, "tenant", "set", "--help").output()).contains("Usage: atrium tenant set");
        assertThat(run(atrium, env, "--version").output()).contains(BuiltDeb.version());
        assertThat(run(atrium, env, "bogus").exitCode()).isEqualTo(1);
        if (kind != Extracted.DEB) {
            return; // the same script on the same layout: the service scenario once is enough (CI time)
        }

        // "atrium gateway" with no option: the service's config and data dir, admin.token for group atrium
        Process gateway = start(List.of(atrium.toString(), "gateway"), env, tmp);
        try {
            awaitHealth(gateway, dataPort, tmp.resolve("gateway.log"));
            assertThat(mode(dataDir.resolve("admin.token"))).as("readable by group atrium").isEqualTo("rw-r-----");

            Commands.Result add = run(atrium, env, "tenant", "add", "radiology", "--weight", "3", "--daily-tokens", "5000");
            assertThat(add.exitCode()).as(add.output()).isZero();
            Commands.Result issued = run(atrium, env, "token", "issue", "--tenant", "radiology", "--user", "dr_li", "--json");
            assertThat(issued.exitCode()).as(issued.output()).isZero();
            assertThat(issued.output()).contains("\"jti\"");
            assertThat(run(atrium, env, "tenant", "disable", "radiology").exitCode()).isZero();
            String list = run(atrium, env, "tenant", "list").output();
            assertThat(list).containsPattern("radiology\\s+radiology\\s+disabled\\s+3");
            assertThat(run(atrium, env, "audit", "verify").output()).contains("audit chain intact");
        } finally {
            stop(gateway);
        }
    }

    /** The shipped configuration with this test's ports and access log (the rest as installed). */
    private static String config(Path root, int dataPort, int adminPort, Path tmp) throws IOException {
        return Files.readString(root.resolve("etc/atrium/atrium.yaml"))
                .replace("port: 8080", "port: " + dataPort)
                .replace("port: 8081", "port: " + adminPort)
                .replace("/var/log/atrium/access.log", tmp.resolve("access.log").toString());
    }

    private static Commands.Result run(Path atrium, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(atrium.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, env);
    }

    private static Process start(List<String> command, Map<String, String> env, Path tmp) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("gateway.log").toFile());
        pb.environment().putAll(env);
        pb.environment().remove("JWT_SECRET");
        pb.environment().remove("ATRIUM_DATA_DIR");
        return pb.start();
    }

    private static void stop(Process gateway) throws InterruptedException {
        gateway.destroy(); // SIGTERM, as systemctl stop
        boolean exited = gateway.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            gateway.destroyForcibly();
        }
        assertThat(exited).as("gateway stops on SIGTERM").isTrue();
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static HttpResponse<String> awaitHealth(Process gateway, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited with " + gateway.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
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
