package org.atrium.gateway.route;

import java.time.Duration;
import org.atrium.model.ValidationException;

/**
 * The {@code inference:} section: how {@code balancer: inference} weighs its signals (docs/traffic.md).
 *
 * @param prefixBytes        how much of the prompt (from {@code "messages"} or {@code "prompt"} on) counts
 *                           as its prefix; default 8192
 * @param prefixBlockBytes   the prefix is hashed in blocks of this size, so two prompts sharing their first
 *                           blocks match that far; default 1024
 * @param affinityEntries    prefix hashes remembered per backend (least recently used dropped); default 4096
 * @param affinityLoadFactor the prefix's backend is used while its expected wait is at most this many times
 *                           the best backend's (plus one call); default 1.5
 * @param staleAfter         engine metrics older than this are ignored (in-flight counts instead); default 3 s
 * @param kvCacheHighPercent KV-cache use above this counts as extra load (the engine starts to queue or
 *                           preempt); default 90
 */
public record InferenceSettings(Integer prefixBytes, Integer prefixBlockBytes, Integer affinityEntries,
                                Double affinityLoadFactor, Duration staleAfter, Double kvCacheHighPercent) {
    public InferenceSettings {
        prefixBytes = between(prefixBytes, 8192, 64, 1 << 20, "prefixBytes");
        prefixBlockBytes = between(prefixBlockBytes, 1024, 64, prefixBytes, "prefixBlockBytes");
        affinityEntries = between(affinityEntries, 4096, 16, 1_000_000, "affinityEntries");
        affinityLoadFactor = affinityLoadFactor == null ? 1.5 : affinityLoadFactor;
        ValidationException.require(affinityLoadFactor >= 1.0 && affinityLoadFactor <= 100.0, "affinityLoadFactor",
                "must be between 1 and 100");
        staleAfter = staleAfter == null ? Duration.ofSeconds(3) : staleAfter;
        ValidationException.require(!staleAfter.isNegative() && !staleAfter.isZero()
                && staleAfter.compareTo(Duration.ofMinutes(10)) <= 0, "staleAfter", "must be between 1 ms and 10 minutes");
        kvCacheHighPercent = kvCacheHighPercent == null ? 90.0 : kvCacheHighPercent;
        ValidationException.require(kvCacheHighPercent >= 1 && kvCacheHighPercent <= 100, "kvCacheHighPercent",
                "must be between 1 and 100");
    }

    public static final InferenceSettings DEFAULTS = new InferenceSettings(null, null, null, null, null, null);

    /** Most blocks a prefix is cut into. */
    int maxBlocks() {
        return prefixBytes / prefixBlockBytes;
    }

    private static int between(Integer v, int dflt, int min, int max, String field) {
        int x = v == null ? dflt : v;
        ValidationException.require(x >= min && x <= max, field, "must be between " + min + " and " + max);
        return x;
    }
}
