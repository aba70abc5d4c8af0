package org.atrium.gateway.telemetry.live;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed log-scale latency buckets from 1 ms to 10 min, each 20 % wider than the last (about 75
 * buckets), so a quantile read from bucket counts is within 20 % of the true value at any scale.
 */
final class LatencyBuckets {
    static final long[] UPPER_MS;

    static {
        List<Long> bounds = new ArrayList<>();
        double b = 1;
        while (b < 600_000) {
            long v = Math.round(b);
            if (bounds.isEmpty() || v > bounds.get(bounds.size() - 1)) {
                bounds.add(v);
            }
            b *= 1.2;
        }
        bounds.add(600_000L);
        bounds.add(Long.MAX_VALUE); // overflow
        UPPER_MS = bounds.stream().mapToLong(Long::longValue).toArray();
    }

    static final int COUNT = UPPER_MS.length;

    private LatencyBuckets() {
    }

    static int index(long ms) {
        int lo = 0;
        int hi = COUNT - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ms <= UPPER_MS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The upper bound of the bucket holding quantile {@code q} (0-1); 0 when empty. */
    static double quantile(int[] counts, double q) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(rank, 1)) {
                return i == COUNT - 1 ? UPPER_MS[COUNT - 2] : UPPER_MS[i];
            }
        }
        return UPPER_MS[COUNT - 2];
    }
}
