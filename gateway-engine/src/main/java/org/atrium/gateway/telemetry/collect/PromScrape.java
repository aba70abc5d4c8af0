package org.atrium.gateway.telemetry.collect;

import java.util.List;
import java.util.Map;

/** A parsed exposition: samples in input order plus the {@code # TYPE} and {@code # HELP} lines by family. */
record PromScrape(List<PromSample> samples, Map<String, String> types, Map<String, String> help) {
    PromScrape {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
    }

    List<PromSample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    boolean hasPrefix(String prefix) {
        return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
    }
}
