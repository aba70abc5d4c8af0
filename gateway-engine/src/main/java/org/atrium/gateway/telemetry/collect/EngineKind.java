package org.atrium.gateway.telemetry.collect;

/**
 * Which metric names to read from an engine's {@code /metrics}. {@code AUTO} recognises vLLM, TGI
 * and SGLang by their prefixes. {@code NONE} is for engines without a Prometheus endpoint (Ollama,
 * plain Flask services): they are not scraped, and the live feed shows the gateway's own
 * in-flight count for them.
 */
public enum EngineKind {
    AUTO, VLLM, TGI, SGLANG, NONE
}
