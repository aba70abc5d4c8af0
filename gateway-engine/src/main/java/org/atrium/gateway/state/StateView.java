package org.atrium.gateway.state;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;

/**
 * The in-memory copy of the state the request path reads: tenants, bans, revoked token ids and
 * stored routes. Each part is an immutable snapshot swapped in whole when the store reports a
 * change, so readers never lock and never wait on the store. If the store cannot be read, the
 * last snapshot stays in force.
 */
public final class StateView {
    private static final Logger LOG = Logger.getLogger(StateView.class.getName());

    private final StateStore store;
    private final Clock clock;
    private volatile Map<String, TenantSpec> tenants = Map.of();
    private volatile BanIndex bans = BanIndex.EMPTY;
    private volatile Set<String> revoked = Set.of();
    private volatile List<RouteSpec> routes = List.of();
    private final List<Consumer<List<RouteSpec>>> routeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public StateView(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (StateChange c : StateChange.values()) {
            reload(c);
        }
        store.onChange(this::reload);
    }

    /** Re-reads one part from the store; keeps the last snapshot when the store fails. */
    public void reload(StateChange change) {
        try {
            switch (change) {
                case TENANTS -> tenants = store.tenants().stream()
                        .collect(Collectors.toUnmodifiableMap(TenantSpec::id, Function.identity()));
                case BANS -> bans = BanIndex.of(store.bans());
                case TOKENS -> {
                    Instant now = clock.instant();
                    revoked = store.tokens().stream()
                            .filter(TokenInfo::revoked)
                            .filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(now.minusSeconds(120)))
                            .map(TokenInfo::jti)
                            .collect(Collectors.toUnmodifiableSet());
                }
                case ROUTES -> {
                    routes = List.copyOf(store.routes());
                    routeListeners.forEach(l -> l.accept(routes));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keeping the last known " + change.name().toLowerCase()
                    + " (store unavailable: " + e.getMessage() + ")");
        }
    }

    public TenantSpec tenant(String id) {
        return tenants.get(id);
    }

    public Map<String, TenantSpec> tenants() {
        return tenants;
    }

    public BanIndex bans() {
        return bans;
    }

    public boolean revoked(String jti) {
        return revoked.contains(jti);
    }

    public List<RouteSpec> storedRoutes() {
        return routes;
    }

    /** Called with the stored routes now and after every route change. */
    public void onRoutes(Consumer<List<RouteSpec>> listener) {
        routeListeners.add(listener);
        listener.accept(routes);
    }

    public StateStore store() {
        return store;
    }
}
