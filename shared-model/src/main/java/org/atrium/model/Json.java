package org.atrium.model;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON mapping both sides use: ISO-8601 instants, unknown fields rejected on input (a typo in
 * an admin request is an error, not silently ignored), nesting and string sizes bounded.
 */
public final class Json {
    private static final ObjectMapper MAPPER = configure(JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(sharedBuffers())
            .build())).build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Atrium's settings to any Jackson mapper builder (JSON or YAML). */
    public static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
        builder.addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        return builder;
    }

    private static final ObjectMapper UNTRUSTED = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(sharedBuffers())
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(untrustedLimits())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The reader for JSON that arrives from callers (request bodies, token segments): duplicate
     * keys and trailing values are refused — a body such as {@code {"model":"a"} {"model":"b"}}
     * or a claim given twice must not be read one way here and another way by the next parser —
     * and nesting and sizes are bounded.
     */
    public static ObjectMapper untrusted() {
        return UNTRUSTED;
    }

    /**
     * Parser and generator buffers shared by all threads. Jackson's default pool keeps them per
     * thread, which on virtual threads (one per request) means new buffers for every parser: the
     * gateway's per-call usage and body parsing spent most of its time allocating them.
     */
    private static com.fasterxml.jackson.core.util.RecyclerPool<com.fasterxml.jackson.core.util.BufferRecycler> sharedBuffers() {
        return com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool();
    }

    /** Read limits for untrusted bodies: shallow nesting, bounded strings and numbers. */
    public static StreamReadConstraints untrustedLimits() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(100)
                .maxStringLength(16 * 1024 * 1024)
                .build();
    }
}
