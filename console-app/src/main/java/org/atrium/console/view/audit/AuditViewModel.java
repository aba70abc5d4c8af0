package org.atrium.console.view.audit;

import java.time.Instant;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Problem;
import org.atrium.model.AuditEntry;

/** The audit trail, read-only, filtered by free text over actor, action, target and address. */
public final class AuditViewModel {
    private final AdminClient client;
    private final Async.Tracker tracker;
    private final ObservableList<AuditEntry> all = FXCollections.observableArrayList();
    private final FilteredList<AuditEntry> filtered = new FilteredList<>(all, e -> true);
    private final StringProperty search = new SimpleStringProperty("");

    public AuditViewModel(AdminClient client, Async async) {
        this.client = client;
        this.tracker = async.tracker();
        search.addListener((o, a, b) -> {
            String q = b == null ? "" : b.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(q.isEmpty() ? e -> true : e -> matches(e, q));
        });
    }

    static boolean matches(AuditEntry e, String q) {
        for (String s : new String[] {e.actor(), e.action(), e.target(), e.address(), e.after(), e.before()}) {
            if (s != null && s.toLowerCase(Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }

    public void refresh() {
        tracker.run(() -> client.audit(Instant.EPOCH, null, null), list -> all.setAll(list.stream()
                .sorted((a, b) -> Long.compare(b.seq(), a.seq())).toList()));
    }

    public ObservableList<AuditEntry> entries() { return filtered; }
    public StringProperty searchProperty() { return search; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
