package org.atrium.console.client;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.GatewayStatus;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.TopTalker;
import org.atrium.model.UsageRow;

/**
 * The admin API ({@code docs/admin-api.md}). Calls block and throw {@link AdminApiException};
 * callers run them off the UI thread.
 */
public interface AdminClient extends AutoCloseable {
    GatewayStatus status();

    List<TenantSpec> tenants();

    TenantSpec createTenant(TenantSpec spec);

    /** Replaces the whole tenant (PUT): fields left out go back to their defaults. */
    TenantSpec putTenant(TenantSpec spec);

    /** Changes only the given fields (PATCH, JSON merge patch, RFC 7396), e.g. {@code {"enabled": false}}. */
    TenantSpec patchTenant(String id, java.util.Map<String, Object> fields);

    void deleteTenant(String id);

    List<TokenInfo> tokens();

    TokenIssued issueToken(TokenIssueRequest request);

    void revokeToken(String jti);

    /** @param type null for every type */
    List<Ban> bans(BanType type);

    Ban addBan(BanRequest request);

    void removeBan(BanType type, String target);

    List<RouteSpec> routes();

    RouteSpec createRoute(RouteSpec spec);

    RouteSpec putRoute(RouteSpec spec);

    void deleteRoute(String id);

    RouteTestResult testRoute(String id);

    /** @param tenant null for all; groupBy day, user or route */
    List<UsageRow> usage(String tenant, LocalDate from, LocalDate to, String groupBy);

    /** The same rows as CSV, as the gateway renders them. */
    String usageCsv(String tenant, LocalDate from, LocalDate to, String groupBy);

    List<AuditEntry> audit(Instant from, Instant to, String actor);

    List<AlertInfo> alerts(boolean activeOnly);

    void acknowledgeAlert(String id);

    /** @param by ip or user */
    List<TopTalker> topTalkers(String by, int limit);

    /** Starts the live feed; it reconnects by itself until the returned handle is closed. */
    LiveSubscription subscribeLive(LiveListener listener);

    @Override
    void close();

    /** A running live feed. */
    interface LiveSubscription extends AutoCloseable {
        @Override
        void close();
    }
}
