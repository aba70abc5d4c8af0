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
        for (LiveFrame f : frames) {
            double t = f.at() == null ? 0 : f.at().getEpochSecond();
            for (GpuSample g : f.gpus()) {
                String key = g.node() + "#" + g.index();
                GpuHistory h = byKey.get(key);
                if (h == null) {
                    h = new GpuHistory(g.node(), g.index(), capacity);
                    byKey.put(key, h);
                    insertSorted(h);
                }
                h.add(t, g);
            }
        }
        revision.set(revision.get() + 1);
    }

    private void insertSorted(GpuHistory h) {
        int i = 0;
        while (i < gpus.size() && compare(gpus.get(i), h) < 0) {
            i++;
        }
        gpus.add(i, h);
    }

    private static int compare(GpuHistory a, GpuHistory b) {
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
        public RingSeries util() { return util; }
        public RingSeries memoryPercent() { return memoryPercent; }
        public RingSeries temperature() { return temperature; }
        public RingSeries power() { return power; }
    }
}
