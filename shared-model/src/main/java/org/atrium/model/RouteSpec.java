package org.atrium.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A route: a task id or model name (plus aliases) mapped to a pool of backends. Durations are whole
 * seconds so the same record reads well in YAML and JSON.
 *
 * @param source where the route came from ({@code config} or {@code store}); set by the gateway
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteSpec(
        String id,
        List<String> aliases,
        List<BackendSpec> backends,
        Balancer balancer,
        Integer connectTimeoutSeconds,
        Integer readTimeoutSeconds,
        String upstreamApiKey,
        String upstreamApiKeyHeader,
        String fallback,
        Integer fallbackQueueThreshold,
        Boolean cache,
        Integer cacheTtlSeconds,
        Integer queueTimeoutSeconds,
        Integer maxQueue,
        String healthPath,
        String name,
        String type,
        String source) {

    /** Route ids and aliases: task ids and model names as operators write them. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}");

    public RouteSpec {
        ValidationException.require(id != null && ID.matcher(id).matches(), "id",
                "must be 1-128 characters of letters, digits and . _ : / @ + -");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String a : aliases) {
            ValidationException.require(a != null && ID.matcher(a).matches(), "aliases", "invalid alias '" + a + "'");
        }
        ValidationException.require(backends != null && !backends.isEmpty(), "backends", "at least one backend is required");
        backends = List.copyOf(backends);
        balancer = balancer == null ? Balancer.ROUND_ROBIN : balancer;
        connectTimeoutSeconds = positive(connectTimeoutSeconds, 10, 600, "connectTimeoutSeconds");
        readTimeoutSeconds = positive(readTimeoutSeconds, 300, 86_400, "readTimeoutSeconds");
        upstreamApiKeyHeader = upstreamApiKeyHeader == null || upstreamApiKeyHeader.isBlank()
                ? "Authorization" : upstreamApiKeyHeader;
        ValidationException.require(upstreamApiKeyHeader.matches("[A-Za-z0-9-]{1,64}"), "upstreamApiKeyHeader",
                "must be a header name");
        // the proxy sends the key as a header value without checking it again per call: no control
        // character at all (stricter than RFC 9110, which also allows a tab inside a value)
        ValidationException.require(upstreamApiKey == null || upstreamApiKey.chars().noneMatch(c -> c < ' ' || c == 0x7f),
                "upstreamApiKey", "must not contain line breaks or other control characters");
        ValidationException.require(fallback == null || (ID.matcher(fallback).matches() && !fallback.equals(id)),
                "fallback", "must be another route id");
        fallbackQueueThreshold = fallbackQueueThreshold == null ? null
                : positive(fallbackQueueThreshold, 0, 1_000_000, "fallbackQueueThreshold");
        cache = cache != null && cache;
        cacheTtlSeconds = positive(cacheTtlSeconds, 300, 86_400, "cacheTtlSeconds");
        queueTimeoutSeconds = positive(queueTimeoutSeconds, 30, 3_600, "queueTimeoutSeconds");
        maxQueue = positive(maxQueue, 1_000, 1_000_000, "maxQueue");
        ValidationException.require(healthPath == null || healthPath.startsWith("/"), "healthPath", "must start with /");
    }

    private static Integer positive(Integer v, int dflt, int max, String field) {
        if (v == null) {
            return dflt;
        }
        ValidationException.require(v >= 1 && v <= max, field, "must be between 1 and " + max);
        return v;
    }

    /** Sum of the backends' {@code maxConcurrency}: how many calls the pool runs at once. */
    public int capacity() {
        return backends.stream().mapToInt(BackendSpec::maxConcurrency).sum();
    }

    public RouteSpec withSource(String newSource) {
        return new RouteSpec(id, aliases, backends, balancer, connectTimeoutSeconds, readTimeoutSeconds,
                upstreamApiKey, upstreamApiKeyHeader, fallback, fallbackQueueThreshold, cache, cacheTtlSeconds,
                queueTimeoutSeconds, maxQueue, healthPath, name, type, newSource);
    }

    /** A minimal route, as the reference's {@code task:{id} -> host:port} mapping. */
    public static RouteSpec simple(String id, String... backendUrls) {
        return new RouteSpec(id, List.of(), java.util.Arrays.stream(backendUrls).map(BackendSpec::new).toList(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
