package org.atrium.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.gateway.admin.AdminApi;
import org.atrium.gateway.admin.TokenMinter;
import org.atrium.gateway.admin.UsageService;
import org.atrium.gateway.config.GatewayConfig;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.security.Secrets;
import org.atrium.gateway.GatewayServer;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.AuditEntry;
import org.atrium.model.Json;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.UsageRow;

/**
 * The CLI on a stopped gateway's data dir: the admin API's own logic over its SQLite store, so the
 * rules (validation, conflicts, audit) are the same. Changes are audited as {@code cli:<os user>};
 * the gateway reads them when it starts.
 */
final class LocalAdminClient implements AdminClient {
    static final String DB_FILE = "atrium.db";

    private final Path dataDir;
    private final StateStore store;
    private final AdminApi api;
    private final AdminAuth.Caller caller;

    /** @param config the gateway's configuration (its routes are listed as read-only config routes) */
    LocalAdminClient(Path dataDir, GatewayConfig config, Map<String, String> env, Clock clock) {
        this.dataDir = dataDir;
        // The same store the gateway uses: with state.backend: redis, offline changes go to Redis.
        this.store = GatewayServer.openStore(config, env, dataDir, clock, "cli");
        byte[] secret = config.jwt().algorithms().contains("HS256")
                && (env.get("JWT_SECRET") != null || Files.exists(dataDir.resolve(Secrets.JWT_SECRET_FILE)))
                ? Secrets.load(dataDir, env.get("JWT_SECRET"), false).jwtSecret() : null;
        List<RouteSpec> fileRoutes = config.routes();
        this.api = new AdminApi(new AdminApi.Deps(store, clock, config.limits().zone(),
                new TokenMinter(secret, config.jwt().maxLifetimeSeconds(), clock),
                () -> merged(fileRoutes, store.routes()), null, null, null, GatewayServer.addressPolicy(config, env)));
        this.caller = new AdminAuth.Caller("cli:" + System.getProperty("user.name", "unknown"), "admin", "local");
    }

    static boolean usable(Path dataDir) {
        return dataDir != null && (Files.isRegularFile(dataDir.resolve(DB_FILE))
                || Files.isRegularFile(dataDir.resolve("state-snapshot.json")));
    }

    /** As the gateway's route registry: stored routes override file routes with the same id. */
    private static List<RouteSpec> merged(List<RouteSpec> file, List<RouteSpec> stored) {
        Map<String, RouteSpec> m = new LinkedHashMap<>();
        file.forEach(r -> m.put(r.id(), r.withSource("config")));
        stored.forEach(r -> m.put(r.id(), r.withSource("store")));
        return List.copyOf(m.values());
    }

    @Override
    public String describe() {
        return "data dir " + dataDir;
    }

    @Override
    public List<TenantSpec> tenants() {
        return api.tenants().list();
    }

    @Override
    public TenantSpec createTenant(TenantSpec tenant) {
        return api.tenants().create(caller, tenant);
    }

    @Override
    public TenantSpec setTenantEnabled(String id, boolean enabled) {
        return api.tenants().setEnabled(caller, id, enabled);
    }

    @Override
    public TenantSpec patchTenant(String id, Map<String, Object> patch) {
        return Offline.json(() -> api.tenants().patch(caller, id, Json.mapper().valueToTree(patch)));
    }

    @Override
    public TokenIssued issueToken(TokenIssueRequest request) {
        return api.tokens().issue(caller, request);
    }

    @Override
    public List<TokenInfo> tokens() {
        return api.tokens().list();
    }

    @Override
    public void revokeToken(String jti) {
        api.tokens().revoke(caller, jti);
    }

    @Override
    public List<Ban> bans(BanType type) {
        return api.bans().list(type);
    }

    @Override
    public Ban addBan(BanRequest request) {
        return api.bans().add(caller, request, "ban.add");
    }

    @Override
    public void removeBan(BanType type, String target) {
        if (!api.bans().remove(caller, type, target, "ban.remove")) {
            throw org.atrium.gateway.admin.AdminException.notFound("No " + type.wire() + " ban for '" + target + "'");
        }
    }

    @Override
    public List<RouteSpec> routes() {
        return api.routes().list();
    }

    @Override
    public RouteSpec createRoute(RouteSpec route) {
        return api.routes().create(caller, route);
    }

    @Override
    public RouteSpec patchRoute(String id, Map<String, Object> patch) {
        return Offline.json(() -> api.routes().patch(caller, id, Json.mapper().valueToTree(patch)));
    }

    @Override
    public void deleteRoute(String id) {
        api.routes().delete(caller, id);
    }

    @Override
    public List<UsageRow> usage(String tenant, String from, String to, UsageService.GroupBy groupBy) {
        return api.usage().usage(tenant, from, to, groupBy);
    }

    @Override
    public List<AuditEntry> audit() {
        return store.audit(null, null, null);
    }

    @Override
    public void close() {
        store.close();
    }

    /** Jackson's checked failures as the API would answer them (the CLI maps them to exit codes). */
    private static final class Offline {
        interface Call<T> {
            T run() throws com.fasterxml.jackson.core.JsonProcessingException;
        }

        static <T> T json(Call<T> call) {
            try {
                return call.run();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                org.atrium.model.ApiError err = org.atrium.gateway.admin.AdminErrors.toApiError(e);
                throw new org.atrium.gateway.admin.AdminException(org.atrium.model.ErrorCode.valueOf(err.code()),
                        err.error(), err.field());
            }
        }
    }
}
