package org.atrium.gateway.route;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;

/**
 * Merges the routes from the configuration file and from the state store into the current
 * {@link RouteTable}. A stored route overrides a file route with the same id (the admin API edits
 * stored routes; the file is the operator's baseline). Backend run-time state is kept by URL.
 */
public final class RouteRegistry {
    private static final Logger LOG = Logger.getLogger(RouteRegistry.class.getName());

    private final Clock clock;
    private final Backend.HealthPolicy policy;
    private final InferenceSettings inference;
    /** One signal for every backend: a call waiting for room may take a slot on any of its route's. */
    private final RoomSignal room = new RoomSignal();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private volatile List<RouteSpec> fileRoutes = List.of();
    private volatile List<RouteSpec> storedRoutes = List.of();
    private volatile RouteTable table = RouteTable.EMPTY;

    public RouteRegistry(Clock clock, Backend.HealthPolicy policy) {
        this(clock, policy, InferenceSettings.DEFAULTS);
    }

    public RouteRegistry(Clock clock, Backend.HealthPolicy policy, InferenceSettings inference) {
        this.clock = clock;
        this.policy = policy;
        this.inference = inference;
    }

    /** The run-time backend with this URL, if a route in force uses it. */
    public java.util.Optional<Backend> backend(String url) {
        return java.util.Optional.ofNullable(backends.get(url));
    }

    public InferenceSettings inference() {
        return inference;
    }

    public RouteTable table() {
        return table;
    }

    private BackendAddressPolicy addressPolicy = BackendAddressPolicy.NONE;

    /** Routes whose backends the policy refuses are left out of the table (with a warning naming the field). */
    public synchronized void addressPolicy(BackendAddressPolicy policy) {
        this.addressPolicy = policy;
        rebuild();
    }

    public synchronized void setFileRoutes(List<RouteSpec> routes) {
        this.fileRoutes = routes.stream().map(r -> r.withSource("config")).toList();
        rebuild();
    }

    public synchronized void setStoredRoutes(List<RouteSpec> routes) {
        this.storedRoutes = routes.stream().map(r -> r.withSource("store")).toList();
        rebuild();
    }

    /** All route specs in force, with {@code source} set. */
    public List<RouteSpec> specs() {
        return table.routes().stream().map(Route::spec).toList();
    }

    private void rebuild() {
        Map<String, RouteSpec> merged = new LinkedHashMap<>();
        fileRoutes.forEach(r -> merged.put(r.id(), r));
        storedRoutes.forEach(r -> merged.put(r.id(), r));
        List<Route> routes = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (RouteSpec spec : merged.values()) {
            java.util.Optional<String> refused = addressPolicy.refusal(spec);
            if (refused.isPresent()) {
                LOG.warning(() -> "Route " + spec.id() + " (" + spec.source() + ") not used: " + refused.get());
                continue;
            }
            List<Backend> bs = new ArrayList<>();
            for (BackendSpec b : spec.backends()) {
                Backend backend = backends.computeIfAbsent(b.url(), u -> new Backend(b, clock, policy, inference, room));
                backend.update(b);
                bs.add(backend);
                used.add(b.url());
            }
            routes.add(new Route(spec, bs, clock, room, inference));
        }
        backends.keySet().retainAll(used);
        Map<String, Integer> slots = new java.util.HashMap<>();
        for (Route r : routes) {
            for (BackendSpec b : r.spec().backends()) {
                slots.merge(b.url(), b.maxConcurrency(), Math::max);
            }
        }
        slots.forEach((url, limit) -> backends.get(url).slotLimit(limit));
        table = new RouteTable(routes);
        LOG.fine(() -> "Route table: " + merged.keySet());
    }
}
