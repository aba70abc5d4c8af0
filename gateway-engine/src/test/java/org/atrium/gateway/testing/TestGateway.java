package org.atrium.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.atrium.gateway.GatewayServer;

/**
 * A real gateway on loopback (ports chosen by the OS) with a temporary data dir, a known JWT
 * secret and an optional YAML config, for tests that talk to it through real sockets.
 */
public final class TestGateway implements AutoCloseable {
    public static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

    private final Path dir;
    private final Path configFile;
    private final GatewayServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private TestGateway(Path dir, Path configFile, GatewayServer server) {
        this.dir = dir;
        this.configFile = configFile;
        this.server = server;
    }

    public static TestGateway start(String yaml) {
        return start(yaml, Clock.systemUTC(), Map.of());
    }

    public static TestGateway start(String yaml, Clock clock, Map<String, String> extraEnv) {
        try {
            Path dir = Files.createTempDirectory("atrium-test");
            Path cfg = null;
            if (yaml != null) {
                cfg = dir.resolve("atrium.yaml");
                Files.writeString(cfg, yaml);
            }
            Map<String, String> env = new HashMap<>(extraEnv);
            env.putIfAbsent("JWT_SECRET", SECRET);
            Path data = dir.resolve("data");
            GatewayServer s = GatewayServer.start(new GatewayServer.Options(cfg, data, env, clock, 0, 0));
            return new TestGateway(dir, cfg, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quotes a route list for YAML: {@code route("task_001", stub.url())}. */
    public static String route(String id, String... urls) {
        StringBuilder sb = new StringBuilder("  - id: " + id + "\n    backends:\n");
        for (String u : urls) {
            sb.append("      - url: ").append(u).append('\n');
        }
        return sb.toString();
    }

    public GatewayServer server() {
        return server;
    }

    public Path configFile() {
        return configFile;
    }

    public String base() {
        return "http://127.0.0.1:" + server.dataPort();
    }

    public String admin() {
        return "http://127.0.0.1:" + server.adminPort();
    }

    public String adminToken() {
        return server.secrets().adminToken();
    }

    /** A token for {@code user} in {@code tenant} allowed {@code tasks}, valid for an hour. */
    public String token(String user, String tenant, String... tasks) {
        long now = Instant.now().getEpochSecond();
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < tasks.length; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(tasks[i]).append('"');
        }
        list.append(']');
        return Tokens.hs256(SECRET, "{\"sub\":\"" + user + "\",\"tenant\":\"" + tenant + "\",\"allowed_tasks\":" + list
                + ",\"role\":\"user\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + user + "-" + now
                + "-" + System.nanoTime() + "\"}");
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), token);
    }

    public HttpResponse<String> post(String path, String token, String json) {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    public HttpResponse<String> send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    /**
     * Reads {@code read} until {@code done} holds (every 20 ms, at most 5 s) and returns the last
     * value. A call is counted (usage, metrics, top talkers) as its handler ends, just after the
     * caller got the last byte, so a test that reads the counts right after its calls waits with this.
     */
    public static <T> T eventually(Read<T> read, Done<T> done) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }

    /** What {@link #eventually} reads. */
    @FunctionalInterface
    public interface Read<T> {
        T get() throws Exception;
    }

    /** When {@link #eventually} may stop. */
    @FunctionalInterface
    public interface Done<T> {
        boolean test(T value) throws Exception;
    }
}
