package org.atrium.gateway.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.Map;

/** A loopback HTTP server whose answers a test sets per path. */
public final class StubHttpServer implements AutoCloseable {
    /** What a path answers; {@code delayMs} before answering simulates a hung endpoint. */
    public record Answer(int status, String body, long delayMs) {
        public static Answer ok(String body) {
            return new Answer(200, body, 0);
        }

        public static Answer status(int status) {
            return new Answer(status, "error", 0);
        }
    }

    /** One request as received. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
    }

    @FunctionalInterface
    public interface Handler {
        Answer answer(Received request);
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public StubHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public void answer(String path, Answer answer) {
        handlers.put(path, r -> answer);
    }

    public void handler(String path, Handler handler) {
        handlers.put(path, handler);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body);
            received.add(r);
            Handler h = handlers.get(r.path());
            Answer a = h == null ? new Answer(404, "not found", 0) : h.answer(r);
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // client went away (timeouts in tests do that on purpose)
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
