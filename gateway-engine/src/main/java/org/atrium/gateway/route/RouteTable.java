package org.atrium.gateway.route;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Immutable lookup of routes by id and alias. Ids win over aliases when they collide. */
public final class RouteTable {
    private final Map<String, Route> byId;
    private final Map<String, Route> byName;

    RouteTable(List<Route> routes) {
        Map<String, Route> ids = new LinkedHashMap<>();
        for (Route r : routes) {
            ids.put(r.id(), r);
        }
        Map<String, Route> names = new LinkedHashMap<>();
        for (Route r : routes) {
            for (String a : r.spec().aliases()) {
                names.putIfAbsent(a, r);
            }
        }
        names.putAll(ids);
        this.byId = Map.copyOf(ids);
        this.byName = Map.copyOf(names);
    }

    public static final RouteTable EMPTY = new RouteTable(List.of());

    /** The route whose id or alias is {@code name}. */
    public Optional<Route> resolve(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public Optional<Route> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Route> routes() {
        return byId.values();
    }
}
