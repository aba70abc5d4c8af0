package org.atrium.gateway.admin;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;

/**
 * The admin API's parts, built once: the resource services over one store and audit trail, and the
 * routing of the admin listener. The operator CLI builds the same services over a stopped
 * gateway's store, so both paths share one implementation.
 */
public final class AdminApi {
    public static final String PREFIX = "/admin/v1";

    /** What the admin API needs from the rest of the gateway. */
    public record Deps(StateStore store, Clock clock, ZoneId zone, TokenMinter minter,
                       Supplier<List<RouteSpec>> routesInForce, Runnable flushUsage,
                       TopTalkersSource topTalkers, AlertsSource alerts,
                       org.atrium.gateway.route.BackendAddressPolicy addressPolicy) {
        public Deps {
            topTalkers = topTalkers == null ? TopTalkersSource.NONE : topTalkers;
            alerts = alerts == null ? AlertsSource.NONE : alerts;
            addressPolicy = addressPolicy == null ? org.atrium.gateway.route.BackendAddressPolicy.NONE : addressPolicy;
        }
    }

    private final AuditTrail audit;
    private final TenantService tenants;
    private final TokenService tokens;
    private final BanService bans;
    private final RouteService routes;
    private final UsageService usage;
    private final AuditService auditLog;
    private final TopTalkersService topTalkers;
    private final AlertsService alerts;

    public AdminApi(Deps d) {
        StateStore store = d.store();
        this.audit = new AuditTrail(store);
        this.tenants = new TenantService(store, audit);
        this.tokens = new TokenService(store, audit, d.minter(),
                id -> TenantSpec.DEFAULT_ID.equals(id) || store.tenant(id).isPresent(), d.clock());
        this.bans = new BanService(store, audit, d.clock());
        this.routes = new RouteService(store, audit, d.routesInForce(), new RouteProber(Duration.ofSeconds(3)),
                d.addressPolicy());
        this.usage = new UsageService(store, d.flushUsage(), d.zone(), d.clock());
        this.auditLog = new AuditService(store, d.zone());
        this.topTalkers = new TopTalkersService(d.topTalkers());
        this.alerts = new AlertsService(d.alerts(), audit);
    }

    /**
     * Registers authentication, error mapping and every resource on the admin listener.
     *
     * @param status the existing {@code /status} service (mounted at {@value #PREFIX})
     */
    public void routing(HttpRouting.Builder r, AdminAuth auth, HttpService status) {
        AdminAccess access = new AdminAccess(auth);
        AdminErrors.register(r);
        r.any(PREFIX + "/*", access)
                .any("/blacklist", access)
                .register(PREFIX, status)
                .register(PREFIX + "/tenants", tenants)
                .register(PREFIX + "/tokens", tokens)
                .register(PREFIX + "/bans", bans)
                .register(PREFIX + "/routes", routes)
                .register(PREFIX + "/usage", usage)
                .register(PREFIX + "/audit", auditLog)
                .register(PREFIX + "/top-talkers", topTalkers)
                .register(PREFIX + "/alerts", alerts)
                .register(PREFIX + "/openapi.yaml", new OpenApiService())
                .register("/blacklist", new BlacklistService(bans));
    }

    public TenantService tenants() {
        return tenants;
    }

    public TokenService tokens() {
        return tokens;
    }

    public BanService bans() {
        return bans;
    }

    public RouteService routes() {
        return routes;
    }

    public UsageService usage() {
        return usage;
    }

    public AuditService audit() {
        return auditLog;
    }
}
