package org.atrium.gateway.traffic;

import io.github.bucket4j.Bucket;

/**
 * Where this node's rate-limit buckets live (the local provider keeps them in a bounded in-memory
 * map; cluster mode shares buckets through {@link CallLimiter} instead). Keys are built by the
 * caller ({@code ip:10.1.2.3}, {@code user:icu:alice}) and already include the limit, so a changed
 * limit starts a fresh bucket.
 */
public interface BucketProvider {
    Bucket bucket(String key, RateLimit limit);

    /** How many buckets are held locally (for metrics; remote providers may answer 0). */
    default long size() {
        return 0;
    }
}
