package org.atrium.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The usage scan's cost per relayed SSE event ({@code bench/jmh.sh UsageMeterBenchmark}): one read of
 * one event as the relay hands it over, in the bench stub's shape and in OpenAI's (which repeats
 * {@code "usage":null} in every chunk of a stream that asked for usage).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageMeterBenchmark {
    @Param({"stub", "openai"})
    public String shape;

    private byte[] event;
    private UsageMeter meter;

    @Setup
    public void setUp() {
        String e = shape.equals("stub")
                ? "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"i\":42,"
                        + "\"t\":123456789012345,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"}}]}\n\n"
                : "data: {\"id\":\"chatcmpl-AbC123\",\"object\":\"chat.completion.chunk\",\"created\":1733100000,"
                        + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\" token\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
        event = e.getBytes(StandardCharsets.US_ASCII);
        meter = new UsageMeter("text/event-stream");
    }

    @Benchmark
    public long oneEvent() {
        meter.accept(event, 0, event.length);
        return meter.completionTokens();
    }
}
