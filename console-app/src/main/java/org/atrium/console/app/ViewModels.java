package org.atrium.console.app;

import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.GatewayClock;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.alerts.AlertsViewModel;
import org.atrium.console.view.audit.AuditViewModel;
import org.atrium.console.view.bans.BansViewModel;
import org.atrium.console.view.connection.ConnectionViewModel;
import org.atrium.console.view.dashboard.DashboardViewModel;
import org.atrium.console.view.gpus.GpusViewModel;
import org.atrium.console.view.live.LiveViewModel;
import org.atrium.console.view.routes.RoutesViewModel;
import org.atrium.console.view.settings.SettingsViewModel;
import org.atrium.console.view.tenants.TenantsViewModel;
import org.atrium.console.view.tokens.TokensViewModel;
import org.atrium.console.view.usage.UsageViewModel;

/** Every screen's view model, created once per console and shared by the views (and the wall). */
public record ViewModels(GatewayClock clock, LiveHub hub, ConnectionViewModel connection, DashboardViewModel dashboard, GpusViewModel gpus,
                         LiveViewModel live, TenantsViewModel tenants, TokensViewModel tokens, BansViewModel bans,
                         RoutesViewModel routes, UsageViewModel usage, AlertsViewModel alerts, AuditViewModel audit,
                         SettingsViewModel settings) {
    /** Ten minutes of 1-second frames per chart line: bounded however long the wall screen runs. */
    public static final int CHART_POINTS = 600;

    public static ViewModels create(AdminClient client, Async async, Clock systemClock, String address, Locale locale,
                                    Consumer<Locale> storeLanguage) {
        GatewayClock clock = new GatewayClock(systemClock);
        LiveHub hub = new LiveHub(async.ui(), clock);
        UsageViewModel usage = new UsageViewModel(client, async, clock);
        // "today" is the gateway's quota day: a new zone moves the default usage range with it
        clock.zoneProperty().addListener((o, a, b) -> usage.resetRange());
        return new ViewModels(clock, hub,
                new ConnectionViewModel(client, async, hub, address, clock),
                new DashboardViewModel(hub),
                new GpusViewModel(hub, CHART_POINTS),
                new LiveViewModel(hub, CHART_POINTS),
                new TenantsViewModel(client, async, clock),
                new TokensViewModel(client, async),
                new BansViewModel(client, async, clock),
                new RoutesViewModel(client, async, hub),
                usage,
                new AlertsViewModel(client, async, hub),
                new AuditViewModel(client, async),
                new SettingsViewModel(locale, storeLanguage));
    }
}
