/**
 * Routes at run time: the table the request path resolves task ids and model names in, the
 * backends with their load, health and {@code max_concurrency} slots, and the balancers that pick
 * one ({@link org.atrium.gateway.route.Route#choose}): round-robin, smooth weighted,
 * least-connections and inference-aware ({@code InferencePicker} over
 * engine load, KV cache, {@link org.atrium.gateway.route.LearnedCapacity learned speed} and
 * prompt-prefix affinity in a {@code PrefixTable}).
 */
package org.atrium.gateway.route;
