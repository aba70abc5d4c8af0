package org.atrium.gateway.telemetry.collect;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.gateway.Failures;

/**
 * Scrapes vLLM/TGI/SGLang {@code /metrics} per route backend; targets change when routes change.
 * Every successful scrape also goes to the listener (the inference balancer's engine load).
 */
final class EngineMetricsCollector {
    private final EngineMetricsConfig config;
    private volatile java.util.function.Consumer<EngineStats> listener = s -> { };
    private final Clock clock;
    private final MetricsFetcher fetcher;
    private final Duration staleAfter;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    EngineMetricsCollector(EngineMetricsConfig config, Clock clock, MetricsFetcher fetcher) {
        this.config = config;
        this.clock = clock;
        this.fetcher = fetcher;
        this.staleAfter = config.interval().multipliedBy(2).plus(config.timeout());
    }

    boolean active() {
        return config.enabled();
    }

    Duration interval() {
        return config.interval();
    }

    /** Replaces the target set, keeping the last values of targets that stay. */
    void targets(Collection<EngineTarget> wanted) {
        Map<String, EngineTarget> next = new java.util.HashMap<>();
        for (EngineTarget t : wanted) {
            if (t.kind() != EngineKind.NONE) {
                next.put(key(t.route(), t.backend()), t);
            }
        }
        targets.keySet().retainAll(next.keySet());
        next.forEach((k, t) -> targets.compute(k, (kk, old) -> old != null && old.target.equals(t) ? old
                : new Target(t, new SourceHealth("engine metrics " + t.route() + " -> " + t.metricsUrl().getHost()
                        + ":" + t.metricsUrl().getPort(), staleAfter))));
    }

    List<String> targetKeys() {
        return List.copyOf(targets.keySet());
    }

    /** Keys of the targets polled at {@code interval} ({@code balancing=false}) or at {@code balancerInterval}. */
    List<String> targetKeys(boolean balancing) {
        List<String> out = new ArrayList<>();
        targets.forEach((k, t) -> {
            if (t.target.balancing() == balancing) {
                out.add(k);
            }
        });
        return out;
    }

    Duration balancerInterval() {
        return config.balancerInterval();
    }

    void listener(java.util.function.Consumer<EngineStats> l) {
        this.listener = l;
    }

    /** Scrapes one target; never throws. */
    void poll(String key) {
        Target t = targets.get(key);
        if (t == null) {
            return;
        }
        try {
            String text = fetcher.get(t.target.metricsUrl(), config.timeout());
            EngineStats stats = extract(PrometheusTextParser.parse(text), t.target, clock.instant());
            t.last = stats;
            t.health.success(stats.at());
            listener.accept(stats);
        } catch (MetricsParseException e) {
            t.health.failure("unreadable metrics: " + e.getMessage());
        } catch (IOException e) {
            t.health.failure(Failures.reason(e));
        } catch (RuntimeException e) {
            t.health.failure(Failures.describe(e));
        }
    }

    Optional<EngineStats> stats(String route, String backend) {
        Target t = targets.get(key(route, backend));
        return t == null ? Optional.empty() : Optional.ofNullable(t.view(clock.instant()));
    }

    List<EngineStats> stats() {
        Instant now = clock.instant();
        List<EngineStats> out = new ArrayList<>();
        for (Target t : targets.values()) {
            EngineStats s = t.view(now);
            if (s != null) {
                out.add(s);
            }
        }
        out.sort(java.util.Comparator.comparing(EngineStats::route).thenComparing(EngineStats::backend));
        return out;
    }

    SourceHealth health(String route, String backend) {
        Target t = targets.get(key(route, backend));
        return t == null ? null : t.health;
    }

    static EngineStats extract(PromScrape s, EngineTarget target, Instant at) throws MetricsParseException {
        EngineKind kind = target.kind();
        if (kind == EngineKind.AUTO) {
            if (s.hasPrefix("vllm:")) {
                kind = EngineKind.VLLM;
            } else if (s.hasPrefix("tgi_")) {
                kind = EngineKind.TGI;
            } else if (s.hasPrefix("sglang:")) {
                kind = EngineKind.SGLANG;
            } else {
                throw new MetricsParseException(0, "no vLLM (vllm:*), TGI (tgi_*) or SGLang (sglang:*) metrics in the answer");
            }
        }
        return switch (kind) {
            case VLLM -> {
                // vLLM V1 renamed gpu_cache_usage_perc to kv_cache_usage_perc; both are 0..1 fractions.
                Double kv = max(s.named("vllm:kv_cache_usage_perc"));
                if (kv == null) {
                    kv = max(s.named("vllm:gpu_cache_usage_perc"));
                }
                yield new EngineStats(target.route(), target.backend(), kind, kv == null ? null : kv * 100.0,
                        sum(s.named("vllm:num_requests_running")), sum(s.named("vllm:num_requests_waiting")), at, false);
            }
            case TGI -> new EngineStats(target.route(), target.backend(), kind, null,
                    sum(s.named("tgi_batch_current_size")), sum(s.named("tgi_queue_size")), at, false);
            case SGLANG -> {
                // token_usage: the share of the KV token pool in use, a 0..1 fraction like vLLM's.
                Double kv = max(s.named("sglang:token_usage"));
                yield new EngineStats(target.route(), target.backend(), kind, kv == null ? null : kv * 100.0,
                        sum(s.named("sglang:num_running_reqs")), sum(s.named("sglang:num_queue_reqs")), at, false);
            }
            default -> throw new MetricsParseException(0, "engine kind " + kind + " is not scraped");
        };
    }

    /** Several engines (data-parallel ranks, models) behind one port: the fullest cache counts. */
    private static Double max(List<PromSample> samples) {
        return samples.stream().mapToDouble(PromSample::value).filter(Double::isFinite).boxed()
                .max(Double::compare).orElse(null);
    }

    private static Integer sum(List<PromSample> samples) {
        var finite = samples.stream().mapToDouble(PromSample::value).filter(Double::isFinite).toArray();
        return finite.length == 0 ? null : (int) Math.round(java.util.Arrays.stream(finite).sum());
    }

    static String key(String route, String backend) {
        return route + "\u0000" + backend;
    }

    private static final class Target {
        final EngineTarget target;
        final SourceHealth health;
        volatile EngineStats last;

        Target(EngineTarget target, SourceHealth health) {
            this.target = target;
            this.health = health;
        }

        EngineStats view(Instant now) {
            EngineStats s = last;
            if (s == null || !health.stale(now)) {
                return s;
            }
            return new EngineStats(s.route(), s.backend(), s.kind(), s.kvCachePercent(), s.running(), s.waiting(),
                    s.at(), true);
        }
    }
}
