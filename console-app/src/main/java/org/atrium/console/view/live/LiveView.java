package org.atrium.console.view.live;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Messages;
import org.atrium.console.view.live.LiveViewModel.Metric;
import org.atrium.console.view.live.LiveViewModel.TenantHistory;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.TimeChart;
import org.atrium.console.view.widgets.ViewHeader;

/** Four ChartFX charts (requests/s, tokens/s, p99, queue), one line per tenant. */
public final class LiveView {
    private final VBox root;
    private final List<TimeChart> charts = new ArrayList<>();
    private final GridPane grid = new GridPane();
    private final LiveViewModel vm;
    private final Messages m;
    private final boolean wall;
    private final org.atrium.console.view.Formats f;

    public LiveView(LiveViewModel vm, Messages m, boolean wall) {
        this(vm, m, new org.atrium.console.view.Formats(m, java.time.ZoneId.systemDefault()), wall);
    }

    public LiveView(LiveViewModel vm, Messages m, org.atrium.console.view.Formats f, boolean wall) {
        this.vm = vm;
        this.m = m;
        this.f = f;
        this.wall = wall;
        grid.setHgap(12);
        grid.setVgap(12);
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        Label hint = new Label(m.get("live.hint"));
        hint.getStyleClass().add(Styles.MUTED);
        if (wall) {
            // two by two, each chart a quarter of the screen whatever its size
            for (int i = 0; i < 2; i++) {
                javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
                cc.setPercentWidth(50);
                javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
                rc.setPercentHeight(50);
                grid.getColumnConstraints().add(cc);
                grid.getRowConstraints().add(rc);
            }
            grid.setMinSize(0, 0);
        }
        scroll.getStyleClass().add("live-area");
        Label stale = org.atrium.console.view.widgets.StaleMarks.apply(scroll, vm.staleProperty(), vm.lastDataProperty(), m, f);
        root = wall ? new VBox(grid) : new VBox(12, ViewHeader.of(m.get("nav.live"), null), hint, stale, scroll);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        VBox.setVgrow(grid, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(LiveView.class, "live.css"));
        root.setId(wall ? "wall-live" : "live-view");
        vm.tenants().addListener((ListChangeListener<TenantHistory>) c -> rebuild());
        vm.revisionProperty().addListener((o, a, b) -> charts.forEach(TimeChart::refresh));
        rebuild();
    }

    private void rebuild() {
        charts.clear();
        grid.getChildren().clear();
        int i = 0;
        for (Metric metric : Metric.values()) {
            String key = "live." + metric.name().toLowerCase(java.util.Locale.ROOT);
            TimeChart c = new TimeChart(m.get(key), m.get(key + ".unit"), null).inZone(m.get("chart.time", f.zoneName()), f.zone());
            for (TenantHistory t : vm.tenants()) {
                c.add(t.tenant(), t.series(metric), org.atrium.console.view.widgets.Palette.department(t.tenant()));
            }
            charts.add(c);
            if (wall) {
                c.chart().setMinSize(0, 0);
                c.chart().setPrefSize(0, 0);
                c.chart().setMaxHeight(Double.MAX_VALUE);
            } else {
                c.chart().setPrefHeight(280);
            }
            c.chart().setMaxWidth(Double.MAX_VALUE);
            GridPane.setHgrow(c.chart(), javafx.scene.layout.Priority.ALWAYS);
            GridPane.setVgrow(c.chart(), javafx.scene.layout.Priority.ALWAYS);
            grid.add(c.chart(), i % 2, i / 2);
            i++;
        }
        charts.forEach(TimeChart::refresh);
    }

    public List<TimeChart> charts() {
        return charts;
    }

    public Parent root() {
        return root;
    }
}
