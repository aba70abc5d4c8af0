package org.atrium.gateway.telemetry.collect;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.atrium.gateway.telemetry.LazyHttpClient;

/**
 * GETs a metrics page with one overall deadline (connect, headers and body) and a size cap, so a
 * slow or huge endpoint can neither hang a poll nor eat memory. Redirects are not followed.
 */
final class MetricsFetcher implements AutoCloseable {
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LazyHttpClient client = new LazyHttpClient(Duration.ofSeconds(2), executor);

    String get(URI uri, Duration timeout) throws IOException {
        Future<String> f = executor.submit(() -> fetch(uri, timeout));
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c.getClass().getSimpleName() + ": " + c.getMessage(), c);
        }
    }

    private String fetch(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                // Ask for the classic text format, not OpenMetrics or protobuf.
                .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
                .GET()
                .build();
        HttpResponse<InputStream> resp = client.get().send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode());
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        client.close();
        executor.shutdownNow();
    }
}
