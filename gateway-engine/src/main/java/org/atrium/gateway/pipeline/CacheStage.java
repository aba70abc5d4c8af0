package org.atrium.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.traffic.ResponseCache;

/**
 * Stage 7: the exact-match response cache of routes with {@code cache: true}. A fresh hit answers
 * the call here ({@code X-Cache: HIT}); a miss sets the key so the proxy stores a complete 200
 * answer ({@code X-Cache: MISS}). Streaming calls are never cached; {@code Cache-Control:
 * no-cache} skips the lookup (the fresh answer replaces the stored one) and {@code no-store}
 * skips the cache altogether.
 */
public final class CacheStage implements Stage {
    private final ResponseCache cache;
    private final long maxBodyBytes;

    public CacheStage(ResponseCache cache, long maxBodyBytes) {
        this.cache = cache;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int order() {
        return CACHE;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        Route route = ex.route();
        if (route == null || !route.spec().cache()) {
            return;
        }
        boolean post = "POST".equals(ex.method());
        if (!post && !"GET".equals(ex.method())) {
            return;
        }
        String cc = ex.cacheControl() == null ? "" : ex.cacheControl().toLowerCase(Locale.ROOT);
        if (cc.contains("no-store")) {
            return;
        }
        JsonNode json = ex.json();
        if (ex.kind() == Exchange.Kind.TASK && post && ex.body() == null) {
            ex.body(ex.bodyReader().read(maxBodyBytes));
            json = parse(ex.body());
            if (json != null && json.path("stream").asBoolean(false)) {
                ex.stream(true);
            }
        }
        if (ex.stream()) {
            return;
        }
        String key = ResponseCache.key(ex.tenantId(), route.id(), ex.method(), ex.upstreamPath(), ex.body(), json);
        ex.cacheKey(key);
        if (cc.contains("no-cache")) {
            cache.bypassed();
            ex.cacheStatus("MISS");
            return;
        }
        Optional<ResponseCache.Entry> hit = cache.lookup(key);
        if (hit.isPresent()) {
            ResponseCache.Entry e = hit.get();
            ex.cacheStatus("HIT");
            ex.answer(new Exchange.Answer(e.status(), e.contentType(), e.body()));
        } else {
            ex.cacheStatus("MISS");
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = RouteStage.STRICT_JSON.readTree(body);
            return n != null && n.isContainerNode() ? n : null;
        } catch (IOException e) {
            return null; // not JSON: the raw bytes make the key
        }
    }
}
