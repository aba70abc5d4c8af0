package org.atrium.gateway.telemetry;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A JDK {@link HttpClient} built on first use. Building one starts its selector thread and costs
 * ~10 ms of a cold start on the main thread; the telemetry fetcher and the webhook notifier need
 * theirs only once they first call out (never, for a gateway without webhooks), so start-up does not
 * pay for it. Redirects are never followed (an alert or a metrics page is not sent elsewhere).
 */
public final class LazyHttpClient implements AutoCloseable {
    private final Duration connectTimeout;
    private final Executor executor;
    private HttpClient client;
    private boolean closed;

    public LazyHttpClient(Duration connectTimeout, Executor executor) {
        this.connectTimeout = connectTimeout;
        this.executor = executor;
    }

    /** The client, built on the first call; after {@link #close()} one that is already shut down. */
    public synchronized HttpClient get() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
            if (closed) {
                client.shutdownNow();
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.shutdownNow();
        }
    }
}
