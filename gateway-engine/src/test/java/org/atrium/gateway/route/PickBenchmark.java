package org.atrium.gateway.route;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atrium.model.Balancer;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What one backend decision costs (issue 14: ≤ 5 µs for {@code inference}): {@link Route#choose}
 * with its slot taken and given back, over 3 or 8 backends with fresh engine metrics, learned
 * speeds and full prefix tables, for a call with an 8 KB prompt prefix. {@code hashPrompt} is the
 * prefix hashing done once per call before the decision. Run: {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickBenchmark {
    @Param({"3", "8"})
    int backends;

    Route inference;
    Route leastConnections;
    Route roundRobin;
    CallProfile[] calls;
    byte[] body;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        // engine metrics stay fresh for the whole run (the default 3 s would turn them stale mid-measurement)
        RouteRegistry registry = new RouteRegistry(Clock.systemUTC(), Backend.HealthPolicy.DEFAULT,
                new InferenceSettings(null, null, null, null, java.time.Duration.ofMinutes(10), null));
        List<RouteSpec> specs = new ArrayList<>();
        for (Balancer b : List.of(Balancer.INFERENCE, Balancer.LEAST_CONNECTIONS, Balancer.ROUND_ROBIN)) {
            List<BackendSpec> bs = new ArrayList<>();
            for (int i = 0; i < backends; i++) {
                bs.add(new BackendSpec("http://10.0.0." + i + ":8000/" + b.wire(), 1, 100_000));
            }
            specs.add(new RouteSpec(b.wire(), null, bs, b, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null));
        }
        registry.setFileRoutes(specs);
        inference = registry.table().byId("inference").orElseThrow();
        leastConnections = registry.table().byId("least_connections").orElseThrow();
        roundRobin = registry.table().byId("round_robin").orElseThrow();
        long now = System.currentTimeMillis();
        for (Backend b : inference.backends()) {
            b.engineSample(3, 8, 55.0, now);
            b.capacity().observe(200, 100_000_000L, 2_000_000_000L);
        }
        calls = new CallProfile[64];
        for (int d = 0; d < calls.length; d++) {
            calls[d] = CallProfile.of(body(d), InferenceSettings.DEFAULTS);
        }
        // fill every backend's prefix table
        for (int i = 0; i < 10_000; i++) {
            inference.choose(calls[i % calls.length], x -> true, 0).order().getFirst().end();
        }
        body = body(7);
    }

    static byte[] body(int department) {
        return ("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\""
                + ("Department " + department + " protocol, cite the guideline. ").repeat(300)
                + "\"},{\"role\":\"user\",\"content\":\"question\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Backend inferenceDecision() {
        Backend b = inference.choose(calls[next++ & 63], x -> true, 0).order().getFirst();
        b.end();
        return b;
    }

    @Benchmark
    public Backend leastConnectionsDecision() {
        Backend b = leastConnections.choose(CallProfile.NONE, x -> true, 0).order().getFirst();
        b.end();
        return b;
    }

    @Benchmark
    public Backend roundRobinDecision() {
        Backend b = roundRobin.choose(CallProfile.NONE, x -> true, 0).order().getFirst();
        b.end();
        return b;
    }

    @Benchmark
    public CallProfile hashPrompt() {
        return CallProfile.of(body, InferenceSettings.DEFAULTS);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(PickBenchmark.class.getName()).build()).run();
    }
}
