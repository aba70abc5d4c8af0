package org.atrium.gateway.cli;

import java.util.List;
import org.atrium.gateway.admin.UsageService;
import org.atrium.model.AuditEntry;
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
 * What the CLI does, against a running gateway ({@link RemoteAdminClient}) or a stopped one's data
 * dir ({@link LocalAdminClient}). Failures are {@code AdminException}s with the API's error code.
 */
public interface AdminClient extends AutoCloseable {
    /** Where the commands go, for messages: {@code gateway http://...} or {@code data dir /...}. */
    String describe();

    List<TenantSpec> tenants();

    TenantSpec createTenant(TenantSpec tenant);

    TenantSpec setTenantEnabled(String id, boolean enabled);

    /** PATCH: only the fields in {@code patch} change (JSON merge patch; null resets a field). */
    TenantSpec patchTenant(String id, java.util.Map<String, Object> patch);

    TokenIssued issueToken(TokenIssueRequest request);

    List<TokenInfo> tokens();

    void revokeToken(String jti);

    List<Ban> bans(BanType type);

    Ban addBan(BanRequest request);

    void removeBan(BanType type, String target);

    List<RouteSpec> routes();

    RouteSpec createRoute(RouteSpec route);

    /** PATCH: only the fields in {@code patch} change (JSON merge patch; null resets a field). */
    RouteSpec patchRoute(String id, java.util.Map<String, Object> patch);

    void deleteRoute(String id);

    List<UsageRow> usage(String tenant, String from, String to, UsageService.GroupBy groupBy);

    List<AuditEntry> audit();

    @Override
    void close();
}
