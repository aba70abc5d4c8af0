package org.atrium.gateway.state;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;

/**
 * Atrium's durable state. A write method returns only once the write is durable (for the embedded
 * store: committed to disk), so an admin API that answers 2xx after it never loses the change.
 * Implementations notify listeners after each write, including writes made by other nodes.
 */
public interface StateStore extends AutoCloseable {

    List<TenantSpec> tenants();

    Optional<TenantSpec> tenant(String id);

    void putTenant(TenantSpec tenant);

    boolean deleteTenant(String id);

    List<RouteSpec> routes();

    void putRoute(RouteSpec route);

    boolean deleteRoute(String id);

    /** All bans, including expired ones not yet purged; callers check {@link Ban#activeAt}. */
    List<Ban> bans();

    void putBan(Ban ban);

    boolean deleteBan(BanType type, String target);

    List<TokenInfo> tokens();

    void registerToken(TokenInfo token);

    /** Marks a token revoked; false when the jti is unknown. */
    boolean revokeToken(String jti, Instant at);

    /** Adds usage counters (batched by the caller). */
    void addUsage(List<UsageDelta> deltas);

    /** Usage rows with {@code from <= day <= to}, optionally for one tenant. */
    List<UsageRow> usage(LocalDate from, LocalDate to, String tenant);

    /** Appends to the hash-chained audit trail and returns the stored entry. */
    AuditEntry appendAudit(AuditRecord record);

    /** Audit entries in sequence order, filtered by time range and actor (nulls: no filter). */
    List<AuditEntry> audit(Instant from, Instant to, String actor);

    /**
     * Inserts an alert occurrence or replaces it (resolve, acknowledge). One occurrence is
     * {@code id} plus {@code firedAt}; the same rule firing again later is a new occurrence.
     * Implementations may prune old resolved occurrences.
     */
    void putAlert(AlertInfo alert);

    /** Occurrences not yet resolved, newest {@code firedAt} first. */
    List<AlertInfo> activeAlerts();

    /** Occurrences, active and resolved, newest {@code firedAt} first, at most {@code limit}. */
    List<AlertInfo> alerts(int limit);

    /** Registers a listener called after every change (local or, for shared stores, remote). */
    void onChange(Consumer<StateChange> listener);

    /** Whether the store is reachable now (always true for the embedded store). */
    default boolean healthy() {
        return true;
    }

    @Override
    void close();
}
