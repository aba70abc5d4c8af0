package org.atrium.gateway.telemetry.live;

/**
 * One key's last {@link #SECONDS} seconds in one-second slots (requests, errors, tokens) and its
 * last {@link #LATENCY_SECONDS} seconds of latency histograms. Slots are reused as time passes.
 */
final class Window {
    static final int SECONDS = 300;
    static final int LATENCY_SECONDS = 60;

    private final long[] second = new long[SECONDS];
    private final int[] requests = new int[SECONDS];
    private final int[] errors = new int[SECONDS];
    private final long[] tokens = new long[SECONDS];
    private final long[] latencySecond = new long[LATENCY_SECONDS];
    private final int[][] latency = new int[LATENCY_SECONDS][];
    private long lastSecond = Long.MIN_VALUE;

    synchronized void add(long epochSecond, boolean error, long latencyMs, long tokenCount) {
        int i = slot(epochSecond, SECONDS);
        if (second[i] != epochSecond) {
            second[i] = epochSecond;
            requests[i] = 0;
            errors[i] = 0;
            tokens[i] = 0;
        }
        requests[i]++;
        if (error) {
            errors[i]++;
        }
        tokens[i] += Math.max(0, tokenCount);
        int j = slot(epochSecond, LATENCY_SECONDS);
        if (latencySecond[j] != epochSecond || latency[j] == null) {
            latencySecond[j] = epochSecond;
            if (latency[j] == null) {
                latency[j] = new int[LatencyBuckets.COUNT];
            } else {
                java.util.Arrays.fill(latency[j], 0);
            }
        }
        latency[j][LatencyBuckets.index(Math.max(0, latencyMs))]++;
        lastSecond = Math.max(lastSecond, epochSecond);
    }

    /** Sums over seconds {@code (to - span, to]}: requests, errors, tokens. */
    synchronized long[] totals(long to, int span) {
        long[] out = new long[3];
        for (int k = 0; k < SECONDS; k++) {
            if (second[k] > to - span && second[k] <= to && requests[k] > 0) {
                out[0] += requests[k];
                out[1] += errors[k];
                out[2] += tokens[k];
            }
        }
        return out;
    }

    /** Merged latency histogram over seconds {@code (to - span, to]}, span at most {@link #LATENCY_SECONDS}. */
    synchronized int[] latency(long to, int span) {
        int[] merged = new int[LatencyBuckets.COUNT];
        for (int k = 0; k < LATENCY_SECONDS; k++) {
            if (latency[k] != null && latencySecond[k] > to - span && latencySecond[k] <= to) {
                for (int b = 0; b < merged.length; b++) {
                    merged[b] += latency[k][b];
                }
            }
        }
        return merged;
    }

    synchronized long lastSecond() {
        return lastSecond;
    }

    private static int slot(long epochSecond, int size) {
        return (int) Math.floorMod(epochSecond, (long) size);
    }
}
