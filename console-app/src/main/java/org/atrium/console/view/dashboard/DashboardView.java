package org.atrium.console.view.dashboard;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.Parent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.FlowGrid;
import org.atrium.console.view.widgets.StaleMarks;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.Tile;
import org.atrium.console.view.widgets.ViewHeader;

/** Big numbers with sparklines for the whole room. */
public final class DashboardView {
    private static final int COLUMNS = 4;
    private final VBox root;

    public DashboardView(DashboardViewModel vm, Messages m, Formats f) {
        this(vm, m, f, false);
    }

    /**
     * @param wall fill the screen: a fixed 4 × 2 grid whose cells are shares of the screen, so any
     *             wall (1440 × 900 up to 4K) shows every tile whole; type scales with the wall's font
     */
    public DashboardView(DashboardViewModel vm, Messages m, Formats f, boolean wall) {
        Tile gpus = new Tile(m.get("dashboard.gpus"), Bindings.createStringBinding(
                () -> Integer.toString(vm.gpusProperty().get()), vm.gpusProperty()), vm.gpuUtilSeries());
        Tile memory = new Tile(m.get("dashboard.memory"), Bindings.createStringBinding(
                () -> m.get("dashboard.memoryValue", f.number(vm.memoryUsedGiBProperty().get()),
                        f.number(vm.memoryTotalGiBProperty().get())),
                vm.memoryUsedGiBProperty(), vm.memoryTotalGiBProperty()), vm.memorySeries());
        Tile rps = new Tile(m.get("dashboard.requests"), Bindings.createStringBinding(
                () -> f.number(vm.requestsPerSecProperty().get(), m.get("unit.rps")), vm.requestsPerSecProperty()), vm.requestsSeries());
        Tile tps = new Tile(m.get("dashboard.tokens"), Bindings.createStringBinding(
                () -> f.number(vm.tokensPerSecProperty().get(), m.get("unit.tps")), vm.tokensPerSecProperty()), vm.tokensSeries());
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
        for (Tile t : all) {
            t.addNote(StaleMarks.apply(t, vm.staleProperty(), vm.lastDataProperty(), m, f));
        }
        Pane grid = wall ? wallGrid(all) : desktopGrid(all);
        grid.getStyleClass().add(wall ? "dashboard-wall-grid" : "dashboard-grid");
        vm.revisionProperty().addListener((o, a, b) -> all.forEach(Tile::refresh));
        root = wall ? new VBox(grid) : new VBox(12, ViewHeader.of(m.get("nav.dashboard"), null), grid);
        VBox.setVgrow(grid, Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(DashboardView.class, "dashboard.css"));
        root.setId("dashboard-view");
    }

    private static Pane desktopGrid(List<Tile> all) {
        FlowGrid grid = new FlowGrid(16, 220);
        grid.getChildren().addAll(all);
        return grid;
    }

    private static Pane wallGrid(List<Tile> all) {
        GridPane grid = new GridPane();
        for (int c = 0; c < COLUMNS; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / COLUMNS);
            cc.setFillWidth(true);
            grid.getColumnConstraints().add(cc);
        }
        int rows = (all.size() + COLUMNS - 1) / COLUMNS;
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setFillHeight(true);
            grid.getRowConstraints().add(rc);
        }
        for (int i = 0; i < all.size(); i++) {
            Tile t = all.get(i);
            // the cell decides the size, not the tile's content
            t.setMinSize(0, 0);
            t.setPrefSize(0, 0);
            t.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
            grid.add(t, i % COLUMNS, i / COLUMNS);
        }
        grid.setMinSize(0, 0);
        return grid;
    }

    public Parent root() {
        return root;
    }
}
