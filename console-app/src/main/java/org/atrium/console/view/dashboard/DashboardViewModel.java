package org.atrium.console.view.dashboard;

import java.time.Instant;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.RingSeries;
import org.atrium.model.BackendLive;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;

/** The room at a glance: big numbers from the newest frame, sparklines from the last minutes. */
public final class DashboardViewModel {
    public static final int SPARK_POINTS = 300;

    private final IntegerProperty gpus = new SimpleIntegerProperty();
    private final DoubleProperty memoryUsedGiB = new SimpleDoubleProperty();
    private final DoubleProperty memoryTotalGiB = new SimpleDoubleProperty();
    private final DoubleProperty requestsPerSec = new SimpleDoubleProperty();
    private final DoubleProperty tokensPerSec = new SimpleDoubleProperty();
    private final IntegerProperty activeTenants = new SimpleIntegerProperty();
    private final IntegerProperty backendsUp = new SimpleIntegerProperty();
    private final IntegerProperty backendsTotal = new SimpleIntegerProperty();
    private final IntegerProperty activeAlerts = new SimpleIntegerProperty();
    private final LongProperty revision = new SimpleLongProperty();
    private final RingSeries gpuUtil = new RingSeries(SPARK_POINTS);
    private final RingSeries memory = new RingSeries(SPARK_POINTS);
    private final RingSeries requests = new RingSeries(SPARK_POINTS);
    private final RingSeries tokens = new RingSeries(SPARK_POINTS);
    private final RingSeries tenants = new RingSeries(SPARK_POINTS);
    private final RingSeries backends = new RingSeries(SPARK_POINTS);
    private final RingSeries alerts = new RingSeries(SPARK_POINTS);

    private final LiveHub hub;

    public DashboardViewModel(LiveHub hub) {
        this.hub = hub;
        hub.addSink(this::accept);
    }

    /** True when the numbers are not live (feed down or silent). */
    public ReadOnlyBooleanProperty staleProperty() { return hub.staleProperty(); }
    /** The gateway's time of the newest data shown. */
    public ObjectProperty<Instant> lastDataProperty() { return hub.lastDataProperty(); }

    void accept(List<LiveFrame> frames) {
        for (LiveFrame f : frames) {
            double t = f.at() == null ? 0 : f.at().getEpochSecond();
            double used = 0;
            double total = 0;
            double util = 0;
            int utilN = 0;
            for (GpuSample g : f.gpus()) {
                used += g.memoryUsedMiB() == null ? 0 : g.memoryUsedMiB();
                total += g.memoryTotalMiB() == null ? 0 : g.memoryTotalMiB();
                if (g.utilPercent() != null) {
                    util += g.utilPercent();
                    utilN++;
                }
            }
            double rps = f.tenants().stream().mapToDouble(TenantLive::requestsPerSec).sum();
            double tps = f.tenants().stream().mapToDouble(TenantLive::tokensPerSec).sum();
            int active = (int) f.tenants().stream().filter(x -> x.requestsPerSec() > 0 || x.inFlight() > 0).count();
            int up = (int) f.backends().stream().filter(BackendLive::up).count();
            int alertCount = (int) f.alerts().stream().filter(a -> a.active()).count();
            gpus.set(f.gpus().size());
            memoryUsedGiB.set(used / 1024);
            memoryTotalGiB.set(total / 1024);
            requestsPerSec.set(rps);
            tokensPerSec.set(tps);
            activeTenants.set(active);
            backendsUp.set(up);
            backendsTotal.set(f.backends().size());
            activeAlerts.set(alertCount);
            gpuUtil.add(t, utilN == 0 ? 0 : util / utilN);
            memory.add(t, used / 1024);
            requests.add(t, rps);
            tokens.add(t, tps);
            tenants.add(t, active);
            backends.add(t, up);
            alerts.add(t, alertCount);
        }
        revision.set(revision.get() + 1);
    }

    public IntegerProperty gpusProperty() { return gpus; }
    public DoubleProperty memoryUsedGiBProperty() { return memoryUsedGiB; }
    public DoubleProperty memoryTotalGiBProperty() { return memoryTotalGiB; }
    public DoubleProperty requestsPerSecProperty() { return requestsPerSec; }
    public DoubleProperty tokensPerSecProperty() { return tokensPerSec; }
    public IntegerProperty activeTenantsProperty() { return activeTenants; }
    public IntegerProperty backendsUpProperty() { return backendsUp; }
    public IntegerProperty backendsTotalProperty() { return backendsTotal; }
    public IntegerProperty activeAlertsProperty() { return activeAlerts; }
    /** Bumped once per batch of frames; views redraw sparklines on change. */
    public LongProperty revisionProperty() { return revision; }
    public RingSeries gpuUtilSeries() { return gpuUtil; }
    public RingSeries memorySeries() { return memory; }
    public RingSeries requestsSeries() { return requests; }
    public RingSeries tokensSeries() { return tokens; }
    public RingSeries tenantsSeries() { return tenants; }
    public RingSeries backendsSeries() { return backends; }
    public RingSeries alertsSeries() { return alerts; }
}
