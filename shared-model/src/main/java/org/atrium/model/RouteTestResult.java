package org.atrium.model;

import java.util.List;

/** Answer of {@code POST /admin/v1/routes/{id}/test}. */
public record RouteTestResult(String route, List<BackendProbe> backends) {
    public RouteTestResult {
        backends = backends == null ? List.of() : List.copyOf(backends);
    }

    public boolean ok() {
        return backends.stream().anyMatch(BackendProbe::ok);
    }
}
