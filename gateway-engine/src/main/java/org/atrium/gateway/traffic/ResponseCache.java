package org.atrium.gateway.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.atrium.gateway.Caches;

/**
 * Exact-match cache of complete, successful, non-streaming answers. The key is a SHA-256 over
 * tenant, route, method, path and the canonical request body (JSON with sorted keys), so equal
 * requests of one tenant hit and nothing is ever shared between tenants. Bounded in bytes
 * (Caffeine weigher) and per entry; each entry lives for its route's TTL, checked against the
 * injected clock on read.
 */
public final class ResponseCache {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();
    private static final int OVERHEAD = 256;

    /** A stored answer. */
    public record Entry(int status, String contentType, byte[] body, Instant expiresAt) {
    }

    private final Cache<String, Entry> entries;
    private final Clock clock;
    private final int maxEntryBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();

    public ResponseCache(Clock clock, long maxBytes, int maxEntryBytes) {
        this.clock = clock;
        this.maxEntryBytes = maxEntryBytes;
        this.entries = Caches.onCallerThread()
                .maximumWeight(Math.max(1, maxBytes))
                .weigher((String k, Entry e) -> e.body().length + OVERHEAD)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return Math.max(0, Duration.between(clock.instant(), e.expiresAt()).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return expireAfterCreate(key, e, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The cache key for one call; the body is canonicalised when it is JSON. */
    public static String key(String tenant, String route, String method, String path, byte[] body, JsonNode json) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {tenant, route, method, path}) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            byte[] canonical = body == null ? new byte[0] : body;
            if (json != null) {
                try {
                    canonical = CANONICAL.writeValueAsBytes(json);
                } catch (JsonProcessingException e) {
                    // keep the raw bytes
                }
            }
            sha.update(canonical);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fresh entry for {@code key}; counts a hit or a miss. */
    public Optional<Entry> lookup(String key) {
        Entry e = entries.getIfPresent(key);
        if (e != null && clock.instant().isBefore(e.expiresAt())) {
            hits.increment();
            return Optional.of(e);
        }
        if (e != null) {
            entries.invalidate(key);
        }
        misses.increment();
        return Optional.empty();
    }

    /** Counts a call that skipped the lookup ({@code Cache-Control: no-cache}) as a miss. */
    public void bypassed() {
        misses.increment();
    }

    /** Starts capturing an answer to store under {@code key} for {@code ttl}. */
    public Capture capture(String key, int status, String contentType, Duration ttl) {
        return new Capture(key, status, contentType, ttl);
    }

    /** Collects one answer's bytes up to the per-entry bound; stores it on {@link #complete()}. */
    public final class Capture {
        private final String key;
        private final int status;
        private final String contentType;
        private final Duration ttl;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean overflow;

        private Capture(String key, int status, String contentType, Duration ttl) {
            this.key = key;
            this.status = status;
            this.contentType = contentType;
            this.ttl = ttl;
        }

        public void accept(byte[] buf, int off, int len) {
            if (overflow) {
                return;
            }
            if (bytes.size() + len > maxEntryBytes) {
                overflow = true;
                bytes.reset();
                return;
            }
            bytes.write(buf, off, len);
        }

        /** The answer arrived complete and was delivered: store it if it is one well-formed JSON document. */
        public void complete() {
            if (!overflow && wellFormedJson(bytes.toByteArray())) {
                entries.put(key, new Entry(status, contentType, bytes.toByteArray(), clock.instant().plus(ttl)));
                stores.increment();
            }
        }
    }

    /** Exactly one JSON value and nothing after it (a backend's HTML error page or cut answer is not stored). */
    static boolean wellFormedJson(byte[] body) {
        try {
            JSON_CHECK.readTree(body);
            return body.length > 0;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader JSON_CHECK = org.atrium.model.Json.mapper().reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long stores() {
        return stores.sum();
    }

    public long entries() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    public long weightedBytes() {
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
