package org.atrium.gateway.traffic;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of traffic-control decisions for metrics, by name: {@code rate_limited.ip},
 * {@code rate_limited.tenant}, {@code rate_limited.user}, {@code concurrency.tenant},
 * {@code concurrency.user}, {@code quota.requests}, {@code quota.tokens}, {@code queue.full},
 * {@code queue.timeout}, {@code fallback}.
 */
public final class TrafficStats {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void count(String name) {
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** All counters, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
