package org.atrium.console.view.alerts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.Problem;
import org.atrium.model.AlertInfo;
import org.atrium.model.LiveFrame;

/** Active alerts and history; acknowledging; announcing alerts not seen before. */
public final class AlertsViewModel {
    private static final int MAX_SEEN = 10_000;

    private final AdminClient client;
    private final Async.Tracker tracker;
    private final ObservableList<AlertInfo> active = FXCollections.observableArrayList();
    private final ObservableList<AlertInfo> history = FXCollections.observableArrayList();
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<Consumer<AlertInfo>> newAlertListeners = new ArrayList<>();
    private boolean primed;

    public AlertsViewModel(AdminClient client, Async async, LiveHub hub) {
        this.client = client;
        this.tracker = async.tracker();
        hub.addSink(this::accept);
    }

    /** Called on the UI thread for each alert that fires while the console runs. */
    public void onNewAlert(Consumer<AlertInfo> listener) {
        newAlertListeners.add(listener);
    }

    void accept(List<LiveFrame> frames) {
        boolean changed = false;
        for (LiveFrame f : frames) {
            for (AlertInfo a : f.alerts()) {
                if (a.id() != null && seen.add(a.id())) {
                    changed = true;
                    // The first batch is history on connect: remember it, do not pop up a storm.
                    if (primed && a.active() && !a.acknowledged()) {
                        newAlertListeners.forEach(l -> l.accept(a));
                    }
                }
            }
        }
        primed = true;
        while (seen.size() > MAX_SEEN) {
            seen.remove(seen.iterator().next());
        }
        if (changed) {
            LiveFrame last = frames.get(frames.size() - 1);
            active.setAll(last.alerts().stream().filter(AlertInfo::active).toList());
        }
    }

    public void refresh() {
        tracker.run(() -> client.alerts(false), all -> {
            active.setAll(all.stream().filter(AlertInfo::active).toList());
            history.setAll(all.stream().filter(a -> !a.active()).toList());
            all.forEach(a -> seen.add(a.id()));
        });
    }

    public void acknowledge(AlertInfo alert) {
        tracker.run(() -> {
            client.acknowledgeAlert(alert.id());
            return alert;
        }, a -> refresh());
    }

    public ObservableList<AlertInfo> active() { return active; }
    public ObservableList<AlertInfo> history() { return history; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
