package org.atrium.console.ui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.atrium.gateway.GatewayServer;

/**
 * A real gateway in the test JVM (both listeners on OS-chosen loopback ports, a temporary data dir,
 * a random JWT secret) plus two tiny OpenAI-speaking backends, so UI tests go through the same
 * REST + WebSocket path the console uses in a GPU room. Loopback is a trusted proxy, so a test can
 * speak "from" another address with {@code X-Forwarded-For} without banning itself.
 */
final class RealGateway implements AutoCloseable {
    private static final String COMPLETION = """
            {"id":"cmpl-1","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,\
            "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}""";

    private final Path dir;
    private final GatewayServer server;
    private final HttpServer backendA;
    private final HttpServer backendB;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private RealGateway(Path dir, GatewayServer server, HttpServer a, HttpServer b) {
        this.dir = dir;
        this.server = server;
        this.backendA = a;
        this.backendB = b;
    }

    static RealGateway start() {
        HttpServer a = backend();
        HttpServer b = backend();
        try {
            Path dir = Files.createTempDirectory("atrium-console-it");
            Path cfg = dir.resolve("atrium.yaml");
            // Quotas counted in Shanghai while the console's clock is UTC: "today" must follow the gateway.
            // One route from the file (read-only through the API); the editable ones are stored by the tests.
            Files.writeString(cfg, """
                    server:
                      trusted_proxies: [127.0.0.1/32]
                    limits:
                      timezone: Asia/Shanghai
                    routes:
                      - id: qwen2.5-7b
                        backends:
                          - url: %s
                    """.formatted(url(a)));
            byte[] secret = new byte[36];
            new SecureRandom().nextBytes(secret);
            Map<String, String> env = new HashMap<>();
            env.put("JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)); // 48 chars
            GatewayServer s = GatewayServer.start(new GatewayServer.Options(cfg, dir.resolve("data"), env,
                    Clock.systemUTC(), 0, 0));
            return new RealGateway(dir, s, a, b);
        } catch (IOException e) {
            a.stop(0);
            b.stop(0);
            throw new UncheckedIOException(e);
        }
    }

    private static HttpServer backend() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", ex -> {
                byte[] body = (ex.getRequestURI().getPath().endsWith("/chat/completions") ? COMPLETION
                        : "{\"object\":\"list\",\"data\":[]}").getBytes(StandardCharsets.UTF_8);
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    String backendA() {
        return url(backendA);
    }

    String backendB() {
        return url(backendB);
    }

    String adminBase() {
        return "http://127.0.0.1:" + server.adminPort();
    }

    String adminToken() {
        return server.secrets().adminToken();
    }

    /** An admin API call with the admin token. */
    HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminBase() + path))
                .header("Authorization", "Bearer " + adminToken());
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A call on the data listener, as a hospital app makes it; {@code from} fakes the client IP via the trusted proxy. */
    HttpResponse<String> data(String method, String path, String token, String json, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.dataPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (from != null) {
            b.header("X-Forwarded-For", from);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
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
        backendA.stop(0);
        backendB.stop(0);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir; the OS cleans up what is left
        }
    }
}
