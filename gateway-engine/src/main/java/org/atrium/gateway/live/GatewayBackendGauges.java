package org.atrium.gateway.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.atrium.gateway.metrics.BackendCircuit;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.route.RouteTable;
import org.atrium.gateway.telemetry.collect.EngineStats;
import org.atrium.gateway.telemetry.collect.GpuTelemetry;
import org.atrium.gateway.telemetry.live.BackendGauges;
import org.atrium.gateway.telemetry.live.BackendRef;

/** Backend state for the live feed from the route registry's run-time backends and the engine scrapes. */
final class GatewayBackendGauges implements BackendGauges {
    private final BackendCircuit circuits;
    private final RouteRegistry routes;
    private final GpuTelemetry gpus;
    private RouteTable indexed;
    private Map<BackendRef, Backend> index = Map.of();

    GatewayBackendGauges(RouteRegistry routes, GpuTelemetry gpus, BackendCircuit circuits) {
        this.circuits = circuits;
        this.routes = routes;
        this.gpus = gpus;
    }

    /** Every configured backend of every route in force; re-indexes when the table changed. */
    synchronized List<BackendRef> configured() {
        RouteTable t = routes.table();
        if (t != indexed) {
            Map<BackendRef, Backend> m = new HashMap<>();
            for (Route r : t.routes()) {
                for (Backend b : r.backends()) {
                    m.put(new BackendRef(r.id(), b.url()), b);
                }
            }
            index = Map.copyOf(m);
            indexed = t;
        }
        return new ArrayList<>(index.keySet());
    }

    private synchronized Backend find(String route, String backend) {
        return index.get(new BackendRef(route, backend));
    }

    @Override
    public boolean up(String route, String backend) {
        Backend b = find(route, backend);
        return b != null && b.up();
    }

    @Override
    public int inFlight(String route, String backend) {
        Backend b = find(route, backend);
        return b == null ? 0 : b.inFlight();
    }

    @Override
    public double tokensPerSecond(String route, String backend) {
        Backend b = find(route, backend);
        return b == null ? Double.NaN : b.capacity().tokensPerSecond();
    }

    @Override
    public String circuit(String route, String backend) {
        Backend b = find(route, backend);
        return b == null ? null : circuits.state(b);
    }

    @Override
    public Optional<EngineStats> engine(String route, String backend) {
        return gpus.engineStats(route, backend);
    }
}
