package org.atrium.console.view.tenants;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Problem;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.UsageRow;

/** Departments: list with today's use against quota, create/edit, enable/disable. */
public final class TenantsViewModel {
    private final AdminClient client;
    private final Async.Tracker tracker;
    private final Clock clock;
    private final ObservableList<TenantRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> routeIds = FXCollections.observableArrayList();

    public TenantsViewModel(AdminClient client, Async async, Clock clock) {
        this.client = client;
        this.tracker = async.tracker();
        this.clock = clock;
    }

    /** A tenant with today's use; quota fractions are NaN when the tenant has no quota. */
    public record TenantRow(TenantSpec spec, long requestsToday, long tokensToday) {
        public double requestQuotaUsed() {
            return fraction(requestsToday, spec.dailyRequestQuota());
        }

        public double tokenQuotaUsed() {
            return fraction(tokensToday, spec.dailyTokenQuota());
        }

        private static double fraction(long used, Long quota) {
            return quota == null || quota == 0 ? Double.NaN : Math.min(1.0, (double) used / quota);
        }
    }

    private record Loaded(List<TenantSpec> tenants, List<UsageRow> usage, List<RouteSpec> routes) { }

    public void refresh() {
        LocalDate today = LocalDate.now(clock);
        tracker.run(() -> new Loaded(client.tenants(), client.usage(null, today, today, "day"), client.routes()),
                loaded -> {
                    Map<String, long[]> use = new HashMap<>();
                    for (UsageRow u : loaded.usage()) {
                        long[] a = use.computeIfAbsent(u.tenant(), k -> new long[2]);
                        a[0] += u.requests();
                        a[1] += u.totalTokens();
                    }
                    rows.setAll(loaded.tenants().stream().map(t -> {
                        long[] a = use.getOrDefault(t.id(), new long[2]);
                        return new TenantRow(t, a[0], a[1]);
                    }).toList());
                    routeIds.setAll(loaded.routes().stream().map(RouteSpec::id).sorted().toList());
                });
    }

    /** @param isNew POST (fails with CONFLICT if the id exists) rather than PUT */
    public void save(TenantSpec spec, boolean isNew, Runnable onSaved) {
        tracker.run(() -> isNew ? client.createTenant(spec) : client.putTenant(spec), saved -> {
            onSaved.run();
            refresh();
        });
    }

    public void setEnabled(TenantSpec spec, boolean enabled) {
        // PATCH of the one field: a PUT of a stale copy would undo what someone else changed meanwhile
        tracker.run(() -> client.patchTenant(spec.id(), java.util.Map.of("enabled", enabled)), saved -> refresh());
    }

    public ObservableList<TenantRow> rows() { return rows; }
    public ObservableList<String> routeIds() { return routeIds; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
