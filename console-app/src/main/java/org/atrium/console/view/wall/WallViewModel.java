package org.atrium.console.view.wall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.view.LiveHub;
import org.atrium.model.AlertInfo;
import org.atrium.model.BackendLive;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;

/**
 * The IT-room wall on one page: every GPU (alerting ones first), each department's load, every
 * backend up or down, the active alerts; a new critical alert takes the screen for a while.
 */
public final class WallViewModel {
    /** How long a new critical alert holds the whole screen unless dismissed, resolved or acknowledged. */
    public static final Duration TAKEOVER_FOR = Duration.ofSeconds(60);

    /** One GPU tile. {@code severity} is that of its worst active alert, null when none. */
    public record GpuCell(String node, int index, String model, Double utilPercent, Double memoryUsedGiB,
                          Double memoryTotalGiB, Double temperatureC, Double powerW, boolean stale, String severity) {
        public String key() {
            return node + ":" + index;
        }
    }

    private final LiveHub hub;
    private final Clock clock;
    private final ObservableList<GpuCell> gpus = FXCollections.observableArrayList();
    private final ObservableList<TenantLive> tenants = FXCollections.observableArrayList();
    private final ObservableList<BackendLive> backends = FXCollections.observableArrayList();
    private final ObservableList<AlertInfo> alerts = FXCollections.observableArrayList();
    private final ObjectProperty<AlertInfo> takeover = new SimpleObjectProperty<>();
    private final Set<String> seenCritical = new HashSet<>();
    private Instant takeoverSince;

    public WallViewModel(LiveHub hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
        hub.addSink(frames -> accept(frames.get(frames.size() - 1)));
        if (hub.latestProperty().get() != null) {
            accept(hub.latestProperty().get());
        }
    }

    void accept(LiveFrame f) {
        List<AlertInfo> active = f.alerts().stream().filter(AlertInfo::active)
                .sorted(Comparator.comparingInt((AlertInfo a) -> rank(a.severity()))
                        .thenComparing(AlertInfo::firedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        Map<String, String> worst = new HashMap<>();
        for (AlertInfo a : active) {
            if (a.subject() != null && a.rule() != null && a.rule().startsWith("gpu_")) {
                worst.merge(a.subject(), a.severity(), (x, y) -> rank(x) <= rank(y) ? x : y);
            }
        }
        List<GpuCell> cells = new ArrayList<>();
        for (GpuSample g : f.gpus()) {
            String key = g.node() + ":" + g.index();
            cells.add(new GpuCell(g.node(), g.index(), g.name(), g.utilPercent(), gib(g.memoryUsedMiB()),
                    gib(g.memoryTotalMiB()), g.temperatureC(), g.powerW(), g.stale(), worst.get(key)));
        }
        cells.sort(Comparator.comparingInt((GpuCell c) -> c.severity() == null ? 9 : rank(c.severity()))
                .thenComparing(GpuCell::node).thenComparingInt(GpuCell::index));
        gpus.setAll(cells);
        tenants.setAll(f.tenants().stream().sorted(Comparator.comparing(TenantLive::tenant)).toList());
        backends.setAll(f.backends().stream().sorted(Comparator.comparing((BackendLive b) -> b.up())
                .thenComparing(BackendLive::route).thenComparing(BackendLive::backend)).toList());
        alerts.setAll(active);
        for (AlertInfo a : active) {
            if (rank(a.severity()) == 0 && !a.acknowledged() && seenCritical.add(a.id())) {
                takeover.set(a);
                takeoverSince = clock.instant();
            }
        }
        AlertInfo shown = takeover.get();
        if (shown != null && active.stream().noneMatch(a -> a.id().equals(shown.id()) && !a.acknowledged())) {
            takeover.set(null);
        }
    }

    /** Ends a takeover that has been shown long enough; the view calls it once a second. */
    public void tick() {
        if (takeover.get() != null && takeoverSince != null
                && Duration.between(takeoverSince, clock.instant()).compareTo(TAKEOVER_FOR) >= 0) {
            takeover.set(null);
        }
    }

    public void dismissTakeover() {
        takeover.set(null);
    }

    /** 0 critical, 1 warning, 2 anything else. */
    public static int rank(String severity) {
        String s = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
        return s.equals("critical") ? 0 : s.equals("warning") ? 1 : 2;
    }

    private static Double gib(Double mib) {
        return mib == null ? null : mib / 1024;
    }

    public ObservableList<GpuCell> gpus() { return gpus; }
    public ObservableList<TenantLive> tenants() { return tenants; }
    public ObservableList<BackendLive> backends() { return backends; }
    public ObservableList<AlertInfo> alerts() { return alerts; }
    /** The critical alert holding the screen, null when none. */
    public ObjectProperty<AlertInfo> takeoverProperty() { return takeover; }
    public ReadOnlyBooleanProperty staleProperty() { return hub.staleProperty(); }
    public ObjectProperty<Instant> lastDataProperty() { return hub.lastDataProperty(); }
    /** Why the feed is down ("connection refused"), from the client. */
    public StringProperty detailProperty() { return hub.detailProperty(); }

    /** Number of distinct servers among the GPUs. */
    public long servers() {
        return gpus.stream().map(GpuCell::node).distinct().count();
    }
}
