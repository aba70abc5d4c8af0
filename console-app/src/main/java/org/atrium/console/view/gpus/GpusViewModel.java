package org.atrium.console.view.gpus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.RingSeries;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;

/** Per-GPU history (utilisation, memory, temperature, power), grouped by node. */
public final class GpusViewModel {
    private final int capacity;
    private final Map<String, GpuHistory> byKey = new LinkedHashMap<>();
    private final ObservableList<GpuHistory> gpus = FXCollections.observableArrayList();
    private final LongProperty revision = new SimpleLongProperty();

    public GpusViewModel(LiveHub hub, int capacity) {
        this.capacity = capacity;
        this.hub = hub;
        hub.addSink(this::accept);
    }

    private final LiveHub hub;

    /** True when the charts are not live (feed down or silent). */
    public javafx.beans.property.ReadOnlyBooleanProperty staleProperty() {
        return hub.staleProperty();
    }

    /** The gateway's time of the newest data shown. */
    public javafx.beans.property.ObjectProperty<java.time.Instant> lastDataProperty() {
        return hub.lastDataProperty();
    }

    void accept(List<LiveFrame> frames) {
        if (!frames.isEmpty()) {
            // worst active alert per GPU ("node:index"), from the newest frame
            Map<String, String> worst = new java.util.HashMap<>();
            for (var a : frames.get(frames.size() - 1).alerts()) {
                if (a.active() && a.rule() != null && a.rule().startsWith("gpu_") && a.subject() != null) {
                    worst.merge(a.subject(), a.severity(), (x, y) -> severityRank(x) <= severityRank(y) ? x : y);
                }
            }
            byKey.forEach((k, h) -> h.severity = worst.get(k));
            pendingSeverity = worst;
        }
        for (LiveFrame f : frames) {
            double t = f.at() == null ? 0 : f.at().getEpochSecond();
            for (GpuSample g : f.gpus()) {
                String key = g.node() + ":" + g.index(); // the alerts' subject for a GPU
                GpuHistory h = byKey.get(key);
                if (h == null) {
                    h = new GpuHistory(g.node(), g.index(), capacity);
                    h.severity = pendingSeverity.get(key);
                    byKey.put(key, h);
                    insertSorted(h);
                }
                h.add(t, g);
            }
        }
        // alerting GPUs first (critical, then warning), then by server and index
        if (!gpus.isEmpty()) {
            List<GpuHistory> sorted = new java.util.ArrayList<>(gpus);
            sorted.sort(GpusViewModel::compare);
            if (!sorted.equals(gpus)) {
                gpus.setAll(sorted);
            }
        }
        revision.set(revision.get() + 1);
    }

    private Map<String, String> pendingSeverity = Map.of();

    /** 0 critical, 1 warning, 2 other, 3 none. */
    static int severityRank(String s) {
        return s == null ? 3 : s.equalsIgnoreCase("critical") ? 0 : s.equalsIgnoreCase("warning") ? 1 : 2;
    }

    private void insertSorted(GpuHistory h) {
        int i = 0;
        while (i < gpus.size() && compare(gpus.get(i), h) < 0) {
            i++;
        }
        gpus.add(i, h);
    }

    private static int compare(GpuHistory a, GpuHistory b) {
        int s = Integer.compare(severityRank(a.severity), severityRank(b.severity));
        if (s != 0) {
            return s;
        }
        int c = a.node().compareTo(b.node());
        return c != 0 ? c : Integer.compare(a.index(), b.index());
    }

    public ObservableList<GpuHistory> gpus() {
        return gpus;
    }

    public LongProperty revisionProperty() {
        return revision;
    }

    /** One GPU's last {@code capacity} samples. Missing values are NaN (a gap), never zero. */
    public static final class GpuHistory {
        private final String node;
        private final int index;
        private final RingSeries util;
        private final RingSeries memoryPercent;
        private final RingSeries temperature;
        private final RingSeries power;
        private GpuSample last;
        private String severity;

        GpuHistory(String node, int index, int capacity) {
            this.node = node;
            this.index = index;
            util = new RingSeries(capacity);
            memoryPercent = new RingSeries(capacity);
            temperature = new RingSeries(capacity);
            power = new RingSeries(capacity);
        }

        void add(double t, GpuSample g) {
            last = g;
            util.add(t, nan(g.utilPercent()));
            double mem = g.memoryUsedMiB() != null && g.memoryTotalMiB() != null && g.memoryTotalMiB() > 0
                    ? 100 * g.memoryUsedMiB() / g.memoryTotalMiB() : Double.NaN;
            memoryPercent.add(t, mem);
            temperature.add(t, nan(g.temperatureC()));
            power.add(t, nan(g.powerW()));
        }

        private static double nan(Double v) {
            return v == null ? Double.NaN : v;
        }

        public String node() { return node; }
        public int index() { return index; }
        public GpuSample last() { return last; }
        /** Severity of this GPU's worst active alert, null when none. */
        public String severity() { return severity; }
        public RingSeries util() { return util; }
        public RingSeries memoryPercent() { return memoryPercent; }
        public RingSeries temperature() { return temperature; }
        public RingSeries power() { return power; }
    }
}
