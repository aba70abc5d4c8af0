package org.atrium.gateway.route;

import java.util.List;

/**
 * The scorer of {@code balancer: inference}. Each backend with room gets an expected wait:
 * {@code (load + 1) / relative speed}, where load is the engine's scraped queue and running calls
 * corrected by what the gateway sent since the scrape (or, with stale or missing metrics, the
 * gateway's own in-flight count), the relative speed is the backend's learned decode speed over
 * the fastest one's (unknown counts as fastest, so a new backend gets tried), and KV-cache use above
 * the high mark multiplies the wait (up to 5× when full). The backend that recently served the
 * longest part of the call's prompt prefix wins while its wait is at most {@code affinityLoadFactor}
 * times the best wait plus one call; otherwise the least wait wins. No I/O, no locks but the prefix
 * tables' (one per backend, held for a map lookup): the
 * JMH benchmark ({@code PickBenchmark}, {@code bench/jmh.sh}) keeps a decision under 5 µs.
 */
final class InferencePicker {
    private final InferenceSettings settings;
    private final double kvHigh;

    InferencePicker(InferenceSettings settings) {
        this.settings = settings;
        this.kvHigh = settings.kvCacheHighPercent() / 100.0;
    }

    /** The pick among {@code withRoom} (not empty), starting ties at {@code start}. */
    Pick pick(List<Backend> withRoom, CallProfile call, long nowMillis, int start) {
        int n = withRoom.size();
        long staleAfter = settings.staleAfter().toMillis();
        double fastest = 0;
        for (int i = 0; i < n; i++) {
            double tps = withRoom.get(i).capacity().tokensPerSecond();
            if (tps > fastest) {
                fastest = tps;
            }
        }
        Backend best = null;
        double bestCost = Double.MAX_VALUE;
        boolean bestFresh = false;
        Backend affine = null;
        double affineCost = Double.MAX_VALUE;
        double affineSpeed = 1;
        int affineBlocks = 0;
        for (int k = 0; k < n; k++) {
            Backend b = withRoom.get((start + k) % n);
            double load = b.engineLoad(nowMillis, staleAfter);
            boolean fresh = load >= 0;
            if (!fresh) {
                load = b.inFlight();
            }
            double speed = relativeSpeed(b.capacity().tokensPerSecond(), fastest);
            double cost = (load + 1) / speed * kvPenalty(fresh ? b.engineKvFraction(nowMillis, staleAfter) : Double.NaN);
            if (cost < bestCost) {
                bestCost = cost;
                best = b;
                bestFresh = fresh;
            }
            int blocks = b.prefixes().matched(call);
            if (blocks > affineBlocks || (blocks > 0 && blocks == affineBlocks && cost < affineCost)) {
                affineBlocks = blocks;
                affine = b;
                affineCost = cost;
                affineSpeed = speed;
            }
        }
        Pick pick;
        if (affine == null) {
            pick = new Pick(best, bestFresh ? Decision.ENGINE_LOAD : Decision.IN_FLIGHT);
        } else if (affineCost <= bestCost * settings.affinityLoadFactor() + 1 / affineSpeed) {
            pick = new Pick(affine, Decision.AFFINITY);
        } else {
            pick = new Pick(best, Decision.AFFINITY_OVERLOADED);
        }
        return pick;
    }

    static double relativeSpeed(double tokensPerSecond, double fastest) {
        if (!(tokensPerSecond > 0) || !(fastest > 0)) {
            return 1.0;
        }
        return Math.max(0.01, tokensPerSecond / fastest);
    }

    /** 1 up to the high mark, then rising linearly to 5 at a full cache. */
    double kvPenalty(double kvFraction) {
        if (!(kvFraction > kvHigh) || kvHigh >= 1.0) {
            return 1.0;
        }
        return 1.0 + 4.0 * Math.min(1.0, (kvFraction - kvHigh) / (1.0 - kvHigh));
    }

    /** A chosen backend and why. */
    record Pick(Backend backend, Decision decision) {
    }
}
