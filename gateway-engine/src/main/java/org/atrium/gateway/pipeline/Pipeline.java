package org.atrium.gateway.pipeline;

import java.util.Comparator;
import java.util.List;

/** The ordered, immutable list of stages every data-path request runs through before the proxy. */
public final class Pipeline {
    private final List<Stage> stages;

    public Pipeline(List<Stage> stages) {
        this.stages = stages.stream().sorted(Comparator.comparingInt(Stage::order)).toList();
    }

    public void run(Exchange exchange) throws Rejection {
        for (Stage s : stages) {
            s.apply(exchange);
            if (exchange.answered()) {
                return; // e.g. a cache hit answered the call
            }
        }
    }

    public List<Stage> stages() {
        return stages;
    }
}
