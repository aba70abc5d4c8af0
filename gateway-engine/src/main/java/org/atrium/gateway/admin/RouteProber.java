package org.atrium.gateway.admin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.atrium.model.BackendProbe;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;

/**
 * The console's "test connection": a GET of each backend's {@code healthPath} (else {@code /}) with
 * a short timeout, redirects not followed. With a health path only 2xx is healthy; without one any
 * answer below 500 proves the server is up (vLLM answers 404 on {@code /}). Errors are reported by
 * kind, never with internal stack traces.
 */
public final class RouteProber {
    private final Duration timeout;
    private final HttpClient http;

    public RouteProber(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Probes every backend of {@code route} in parallel. */
    public RouteTestResult probe(RouteSpec route) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<BackendProbe>> probes = route.backends().stream()
                    .map(b -> CompletableFuture.supplyAsync(() -> probe(route, b), executor))
                    .toList();
            return new RouteTestResult(route.id(), probes.stream().map(CompletableFuture::join).toList());
        }
    }

    BackendProbe probe(RouteSpec route, BackendSpec backend) {
        String path = route.healthPath() == null ? "/" : route.healthPath();
        long start = System.nanoTime();
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(backend.url() + path))
                    .timeout(timeout)
                    .header("User-Agent", "atrium-route-test")
                    .GET();
            if (route.upstreamApiKey() != null) {
                req.header(route.upstreamApiKeyHeader(), route.upstreamApiKey()); // as the proxy sends it
            }
            HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - start) / 1_000_000;
            int s = r.statusCode();
            boolean ok = route.healthPath() == null ? s < 500 : s >= 200 && s < 300;
            return new BackendProbe(backend.url(), ok, s, ms, ok ? null
                    : s >= 300 && s < 400 ? "redirect not followed (HTTP " + s + ")" : "HTTP " + s);
        } catch (HttpConnectTimeoutException e) {
            return failed(backend, start, "connect timeout");
        } catch (HttpTimeoutException e) {
            return failed(backend, start, "timeout after " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return failed(backend, start, "connection refused");
        } catch (IOException | IllegalArgumentException e) {
            return failed(backend, start, "I/O error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(backend, start, "interrupted");
        }
    }

    private static BackendProbe failed(BackendSpec b, long start, String error) {
        return new BackendProbe(b.url(), false, null, (System.nanoTime() - start) / 1_000_000, error);
    }
}
