package org.atrium.console.view.tokens;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Problem;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;

/** Issued tokens (never the token itself), issuing a new one (shown once) and revoking. */
public final class TokensViewModel {
    /** Lifetimes offered in the issue dialog, in seconds. */
    public static final List<Long> LIFETIMES = List.of(86_400L, 7 * 86_400L, 30 * 86_400L, 90 * 86_400L, 365 * 86_400L);

    private final AdminClient client;
    private final Async.Tracker tracker;
    private final ObservableList<TokenInfo> tokens = FXCollections.observableArrayList();
    private final ObservableList<String> tenantIds = FXCollections.observableArrayList();
    private final ObservableList<String> taskIds = FXCollections.observableArrayList();
    private final ObjectProperty<TokenIssued> lastIssued = new SimpleObjectProperty<>();

    public TokensViewModel(AdminClient client, Async async) {
        this.client = client;
        this.tracker = async.tracker();
    }

    private record Loaded(List<TokenInfo> tokens, List<TenantSpec> tenants, List<RouteSpec> routes) { }

    public void refresh() {
        tracker.run(() -> new Loaded(client.tokens(), client.tenants(), client.routes()), l -> {
            tokens.setAll(l.tokens().stream()
                    .sorted((a, b) -> compareDesc(a.issuedAt(), b.issuedAt())).toList());
            tenantIds.setAll(l.tenants().stream().map(TenantSpec::id).sorted().toList());
            taskIds.setAll(l.routes().stream().map(RouteSpec::id).sorted().toList());
        });
    }

    private static int compareDesc(java.time.Instant a, java.time.Instant b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return b.compareTo(a);
    }

    /** Issues a token; on success {@link #lastIssuedProperty()} holds it until {@link #forgetIssued()}. */
    public void issue(TokenIssueRequest request, Runnable onIssued) {
        tracker.run(() -> client.issueToken(request), issued -> {
            lastIssued.set(issued);
            onIssued.run();
            refresh();
        });
    }

    /** Drops the clear token from memory once the dialog showing it closes. */
    public void forgetIssued() {
        lastIssued.set(null);
    }

    public void revoke(TokenInfo token) {
        tracker.run(() -> {
            client.revokeToken(token.jti());
            return token;
        }, t -> refresh());
    }

    public ObservableList<TokenInfo> tokens() { return tokens; }
    public ObservableList<String> tenantIds() { return tenantIds; }
    public ObservableList<String> taskIds() { return taskIds; }
    public ObjectProperty<TokenIssued> lastIssuedProperty() { return lastIssued; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
