package org.atrium.gateway.route;

/**
 * How fast one backend answers, learned from the calls it finished: an exponentially weighted
 * moving average of its decode speed per call (completion tokens per second after the first token)
 * and of its time to first token. A slower GPU shows a lower speed, so {@code balancer: inference}
 * gives it proportionally less work. Unknown until the first answer with counted tokens.
 */
public final class LearnedCapacity {
    /** Weight of the newest sample. */
    static final double ALPHA = 0.1;
    /** Fewer tokens than this say little about speed (an error, a one-word answer). */
    static final long MIN_TOKENS = 4;

    private volatile double tokensPerSecond = Double.NaN;
    private volatile double ttftMillis = Double.NaN;
    private volatile long samples;

    /**
     * Records one finished call.
     *
     * @param completionTokens tokens the backend generated
     * @param ttftNanos        from sending the call to its first byte
     * @param decodeNanos      from the first byte to the end of the answer
     */
    public synchronized void observe(long completionTokens, long ttftNanos, long decodeNanos) {
        if (ttftNanos > 0) {
            double t = ttftNanos / 1e6;
            ttftMillis = Double.isNaN(ttftMillis) ? t : ttftMillis + ALPHA * (t - ttftMillis);
        }
        if (completionTokens >= MIN_TOKENS && decodeNanos > 0) {
            double rate = completionTokens * 1e9 / decodeNanos;
            tokensPerSecond = Double.isNaN(tokensPerSecond) ? rate : tokensPerSecond + ALPHA * (rate - tokensPerSecond);
            samples++;
        }
    }

    /** Learned decode speed in tokens per second, NaN while unknown. */
    public double tokensPerSecond() {
        return tokensPerSecond;
    }

    /** Learned time to first token in milliseconds, NaN while unknown. */
    public double ttftMillis() {
        return ttftMillis;
    }

    public long samples() {
        return samples;
    }
}
