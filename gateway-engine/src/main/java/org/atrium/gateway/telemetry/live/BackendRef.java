package org.atrium.gateway.telemetry.live;

import java.util.Objects;

/** A configured backend of a route, so the feed lists it even with no traffic. */
public record BackendRef(String route, String backend) {
    public BackendRef {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(backend, "backend");
    }
}
