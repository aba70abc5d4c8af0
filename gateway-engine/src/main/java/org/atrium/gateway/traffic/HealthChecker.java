package org.atrium.gateway.traffic;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;

/**
 * Active health checks: every interval, {@code GET backend + healthPath} for each route that sets a
 * health path; a 2xx answer within the timeout marks the backend up, anything else down. Runs on
 * one virtual thread; backends of routes without a health path are always "up" for this check
 * (passive health still applies).
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthChecker.class.getName());

    private final RouteRegistry routes;
    private final Duration interval;
    private final WebClient client;
    private volatile Thread loop;

    public HealthChecker(RouteRegistry routes, Duration interval, Duration timeout) {
        this.routes = routes;
        this.interval = interval;
        this.client = WebClient.builder()
                .followRedirects(false)
                .keepAlive(false)
                .servicesDiscoverServices(false)
                .socketOptions(o -> o.connectTimeout(timeout).readTimeout(timeout))
                .readTimeout(timeout)
                .build();
    }

    /** Starts the periodic checks (no-op when the interval is zero). */
    public HealthChecker start() {
        if (!interval.isZero() && !interval.isNegative()) {
            loop = Thread.ofVirtual().name("atrium-health-checks").start(this::run);
        }
        return this;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                checkNow();
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Health check round failed", e);
            }
        }
    }

    /** Checks every backend of every route with a health path once, now. */
    public void checkNow() {
        Set<String> checked = new HashSet<>();
        for (Route r : routes.table().routes()) {
            String path = r.spec().healthPath();
            for (Backend b : r.backends()) {
                if (path == null) {
                    if (!checked.contains(b.url())) {
                        b.activeCheck(true);
                    }
                    continue;
                }
                if (checked.add(b.url())) {
                    boolean up = probe(b, path);
                    if (!up) {
                        LOG.fine(() -> "Backend " + b.url() + " failed its health check");
                    }
                    b.activeCheck(up);
                }
            }
        }
    }

    private boolean probe(Backend b, String path) {
        String base = b.url().endsWith("/") ? b.url().substring(0, b.url().length() - 1) : b.url();
        try (HttpClientResponse res = client.get().uri(URI.create(base + path)).request()) {
            return res.status().code() >= 200 && res.status().code() < 300;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
