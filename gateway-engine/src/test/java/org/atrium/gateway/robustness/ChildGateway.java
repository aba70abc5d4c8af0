package org.atrium.gateway.robustness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atrium.gateway.testing.TestGateway;

/**
 * The real gateway ({@code org.atrium.gateway.Main}) in a child JVM on the test classpath, so a test
 * can kill it with SIGKILL ({@link Process#destroyForcibly()} on Linux) and read what it printed.
 * Ports are chosen by the OS and read from the start-up log line.
 */
final class ChildGateway implements AutoCloseable {
    /** Config lines putting both listeners on loopback, ports chosen by the OS. */
    static final String LOOPBACK_ANY_PORT = "server:\n  port: 0\n  host: 127.0.0.1\nadmin:\n  port: 0\n";
    private static final Pattern READY = Pattern.compile("data on [^ ]+:(\\d+), admin on [^ ]+:(\\d+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int dataPort;
    private final int adminPort;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private ChildGateway(Process process, Path stdout, Path stderr, int dataPort, int adminPort, Path dataDir) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.dataPort = dataPort;
        this.adminPort = adminPort;
        this.dataDir = dataDir;
    }

    /** Starts {@code Main --config config --data-dir dataDir}; output goes to {@code logDir}/{@code name}.out/.err. */
    static ChildGateway start(Path config, Path dataDir, Path logDir, String name) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "org.atrium.gateway.Main",
                "--data-dir", dataDir.toString()));
        if (config != null) {
            cmd.add("--config");
            cmd.add(config.toString());
        }
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().put("JWT_SECRET", TestGateway.SECRET);
        pb.environment().remove("ATRIUM_DATA_DIR");
        long before = Files.exists(err) ? Files.size(err) : 0;
        long beforeOut = Files.exists(out) ? Files.size(out) : 0;
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("gateway exited with " + p.exitValue() + ": " + tail(err) + tail(out));
            }
            for (var f : List.of(err, out)) {
                String text = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
                text = text.substring((int) Math.min(text.length(), f == err ? before : beforeOut));
                Matcher m = READY.matcher(text);
                if (m.find()) {
                    return new ChildGateway(p, out, err, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), dataDir);
                }
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("gateway did not become ready: " + tail(err));
    }

    private static String tail(Path f) throws IOException {
        if (!Files.exists(f)) {
            return "";
        }
        String s = Files.readString(f, StandardCharsets.UTF_8);
        return s.substring(Math.max(0, s.length() - 3000));
    }

    int dataPort() {
        return dataPort;
    }

    int adminPort() {
        return adminPort;
    }

    String base() {
        return "http://127.0.0.1:" + dataPort;
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort;
    }

    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("admin.token"), StandardCharsets.UTF_8).strip();
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> adminCall(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken());
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A polite stop (SIGTERM: the shutdown hook closes the store). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    Path stdout() {
        return stdout;
    }

    Path stderr() {
        return stderr;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
