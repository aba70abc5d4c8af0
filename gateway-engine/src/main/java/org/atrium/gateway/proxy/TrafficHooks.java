package org.atrium.gateway.proxy;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.traffic.BackendBreakers;
import org.atrium.gateway.traffic.ResponseCache;
import org.atrium.gateway.traffic.TrafficControl;

/** Plugs circuit breakers and response-cache filling into the proxy. */
public final class TrafficHooks implements ProxyHooks {
    private final TrafficControl traffic;

    public TrafficHooks(TrafficControl traffic) {
        this.traffic = traffic;
    }

    @Override
    public boolean permits(Backend backend) {
        return traffic.breakers().permits(backend);
    }

    @Override
    public <T> T guard(Backend backend, Supplier<T> attempt) {
        try {
            return traffic.breakers().guard(backend, attempt);
        } catch (BackendBreakers.Open e) {
            throw new Skip("circuit open");
        }
    }

    /**
     * Only complete 200 JSON answers of a cache-enabled route that were not degraded or streamed (the
     * cache itself then keeps only a well-formed JSON document).
     */
    @Override
    public AnswerSink capture(Exchange ex, int status, String contentType) {
        if (ex.cacheKey() == null || status != 200 || ex.fallbackFrom() != null || !json(contentType)) {
            return null;
        }
        ResponseCache.Capture c = traffic.cache().capture(ex.cacheKey(), status, contentType,
                Duration.ofSeconds(ex.route().spec().cacheTtlSeconds()));
        return new AnswerSink() {
            @Override
            public void accept(byte[] buf, int off, int len) {
                c.accept(buf, off, len);
            }

            @Override
            public void complete() {
                c.complete();
            }
        };
    }

    static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }
}
