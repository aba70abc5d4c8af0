package org.atrium.console.view.routes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.Problem;
import org.atrium.model.BackendLive;
import org.atrium.model.LiveFrame;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;

/** Routes with live backend health and circuit state; editing and "test connection". */
public final class RoutesViewModel {
    private final AdminClient client;
    private final Async.Tracker tracker;
    private final ObservableList<RouteSpec> routes = FXCollections.observableArrayList();
    private final Map<String, List<BackendLive>> health = new HashMap<>();
    private final LongProperty healthRevision = new SimpleLongProperty();
    private final ObjectProperty<RouteTestResult> lastTest = new SimpleObjectProperty<>();

    public RoutesViewModel(AdminClient client, Async async, LiveHub hub) {
        this.client = client;
        this.tracker = async.tracker();
        hub.addSink(this::accept);
    }

    void accept(List<LiveFrame> frames) {
        LiveFrame last = frames.get(frames.size() - 1);
        health.clear();
        for (BackendLive b : last.backends()) {
            health.computeIfAbsent(b.route(), k -> new java.util.ArrayList<>()).add(b);
        }
        healthRevision.set(healthRevision.get() + 1);
    }

    /** Health summary of a route: "up/total" backends and the worst circuit state. */
    public record Health(int up, int total, String circuit) {
    }

    public Health health(String routeId) {
        List<BackendLive> list = health.getOrDefault(routeId, List.of());
        int up = (int) list.stream().filter(BackendLive::up).count();
        String circuit = list.stream().map(BackendLive::circuit).filter(c -> c != null && !c.equalsIgnoreCase("closed"))
                .findFirst().orElse(list.isEmpty() ? null : "closed");
        return new Health(up, list.size(), circuit);
    }

    /**
     * One line per backend of the route, in its order: engine queue, KV-cache use and share of the
     * route's calls ({@code none} for what the live feed does not know).
     */
    public List<BackendLoad> load(RouteSpec route) {
        List<BackendLive> list = health.getOrDefault(route.id(), List.of());
        return route.backends().stream().map(b -> list.stream().filter(x -> x.backend().equals(b.url())).findFirst()
                .map(x -> new BackendLoad(x.waiting(), x.kvCachePercent(), x.sharePercent()))
                .orElse(new BackendLoad(null, null, null))).toList();
    }

    /** What the live feed says of one backend's load; nulls are unknown. */
    public record BackendLoad(Integer queue, Double kvCachePercent, Double sharePercent) {
    }

    public void refresh() {
        tracker.run(client::routes, list -> routes.setAll(list.stream()
                .sorted((a, b) -> a.id().compareTo(b.id())).toList()));
    }

    public void save(RouteSpec spec, boolean isNew, Runnable onSaved) {
        tracker.run(() -> isNew ? client.createRoute(spec) : client.putRoute(spec), saved -> {
            onSaved.run();
            refresh();
        });
    }

    public void test(String routeId) {
        lastTest.set(null);
        tracker.run(() -> client.testRoute(routeId), lastTest::set);
    }

    public ObservableList<RouteSpec> routes() { return routes; }
    public LongProperty healthRevisionProperty() { return healthRevision; }
    public ObjectProperty<RouteTestResult> lastTestProperty() { return lastTest; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
