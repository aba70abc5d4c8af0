package org.atrium.console.view.dashboard;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.Parent;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.Tile;
import org.atrium.console.view.widgets.ViewHeader;

/** Big numbers with sparklines for the whole room. */
public final class DashboardView {
    private final VBox root;

    public DashboardView(DashboardViewModel vm, Messages m, Formats f) {
        Tile gpus = new Tile(m.get("dashboard.gpus"), Bindings.createStringBinding(
                () -> Integer.toString(vm.gpusProperty().get()), vm.gpusProperty()), vm.gpuUtilSeries());
        Tile memory = new Tile(m.get("dashboard.memory"), Bindings.createStringBinding(
                () -> m.get("dashboard.memoryValue", f.number(vm.memoryUsedGiBProperty().get()),
                        f.number(vm.memoryTotalGiBProperty().get())),
                vm.memoryUsedGiBProperty(), vm.memoryTotalGiBProperty()), vm.memorySeries());
        Tile rps = new Tile(m.get("dashboard.requests"), Bindings.createStringBinding(
                () -> f.number(vm.requestsPerSecProperty().get()), vm.requestsPerSecProperty()), vm.requestsSeries());
        Tile tps = new Tile(m.get("dashboard.tokens"), Bindings.createStringBinding(
                () -> f.number(vm.tokensPerSecProperty().get()), vm.tokensPerSecProperty()), vm.tokensSeries());
        Tile tenants = new Tile(m.get("dashboard.tenants"), Bindings.createStringBinding(
                () -> Integer.toString(vm.activeTenantsProperty().get()), vm.activeTenantsProperty()), vm.tenantsSeries());
        Tile backends = new Tile(m.get("dashboard.backends"), Bindings.createStringBinding(
                () -> vm.backendsUpProperty().get() + " / " + vm.backendsTotalProperty().get(),
                vm.backendsUpProperty(), vm.backendsTotalProperty()), vm.backendsSeries());
        Tile alerts = new Tile(m.get("dashboard.alerts"), Bindings.createStringBinding(
                () -> Integer.toString(vm.activeAlertsProperty().get()), vm.activeAlertsProperty()), vm.alertsSeries());
        alerts.getStyleClass().add("alerts-tile");
        Runnable firing = () -> alerts.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("firing"),
                vm.activeAlertsProperty().get() > 0);
        vm.activeAlertsProperty().addListener((o, a, b) -> firing.run());
        firing.run();
        List<Tile> all = List.of(gpus, memory, rps, tps, tenants, backends, alerts);
        TilePane grid = new TilePane(16, 16);
        grid.getChildren().addAll(all);
        grid.setPrefColumns(4);
        grid.getStyleClass().add("dashboard-grid");
        vm.revisionProperty().addListener((o, a, b) -> all.forEach(Tile::refresh));
        root = new VBox(12, ViewHeader.of(m.get("nav.dashboard"), null), grid);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(DashboardView.class, "dashboard.css"));
        root.setId("dashboard-view");
    }

    public Parent root() {
        return root;
    }
}
