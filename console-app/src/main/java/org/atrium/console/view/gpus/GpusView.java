package org.atrium.console.view.gpus;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.gpus.GpusViewModel.GpuHistory;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Palette;
import org.atrium.console.view.widgets.StaleMarks;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.TimeChart;
import org.atrium.console.view.widgets.ViewHeader;

/**
 * Every GPU in one compact sortable table (alerting ones first, in their severity colour), and below
 * it the chosen GPU's history: load in %, temperature in °C and power in W, each on its own axis.
 */
public final class GpusView {
    private final VBox root;
    private final TableView<GpuHistory> table = new TableView<>();
    private final VBox detail = new VBox(8);
    private final List<TimeChart> charts = new ArrayList<>();
    private final Label detailTitle = new Label();
    private final Messages m;
    private final Formats f;

    public GpusView(GpusViewModel vm, Messages m, Formats f) {
        this.m = m;
        this.f = f;
        table.setId("gpus-table");
        table.setItems(vm.gpus());
        table.setPlaceholder(new Label(m.get("gpus.none")));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(Columns.text(m.get("gpus.server"), GpuHistory::node));
        table.getColumns().add(Columns.number(m.get("gpus.index"), g -> g.index(), v -> f.number(v)));
        table.getColumns().add(Columns.text(m.get("gpus.model"), g -> g.last() == null ? "" : String.valueOf(g.last().name())));
        table.getColumns().add(Columns.number(m.get("gpus.utilCol"), g -> g.util().lastY(), v -> f.number(v, "%")));
        table.getColumns().add(Columns.number(m.get("gpus.memoryCol"), g -> g.last() == null || g.last().memoryUsedMiB() == null
                ? Double.NaN : g.last().memoryUsedMiB() / 1024, v -> f.number(v, m.get("unit.gib"))));
        table.getColumns().add(Columns.number(m.get("gpus.temperatureCol"), g -> g.temperature().lastY(), v -> f.number(v, "°C")));
        table.getColumns().add(Columns.number(m.get("gpus.powerCol"), g -> g.power().lastY(), v -> f.number(v, "W")));
        table.getColumns().add(Columns.text(m.get("gpus.state"), g -> g.last() != null && g.last().stale() ? m.get("gpus.staleShort")
                : g.severity() == null ? m.get("gpus.ok") : m.get("severity." + Palette.severityClass(g.severity()).substring(4))));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(GpuHistory g, boolean empty) {
                super.updateItem(g, empty);
                getStyleClass().removeAll("sev-critical", "sev-warning", "sev-info");
                if (!empty && g != null && g.severity() != null) {
                    getStyleClass().add(Palette.severityClass(g.severity()));
                }
            }
        });
        table.setPrefHeight(280);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showDetail(b));
        vm.gpus().addListener((ListChangeListener<GpuHistory>) c -> {
            if (table.getSelectionModel().getSelectedItem() == null && !vm.gpus().isEmpty()) {
                table.getSelectionModel().select(0);
            }
        });
        vm.revisionProperty().addListener((o, a, b) -> {
            table.refresh();
            charts.forEach(TimeChart::refresh);
            updateTitle(table.getSelectionModel().getSelectedItem());
        });
        detailTitle.getStyleClass().add(Styles.CARD_TITLE);
        detail.getStyleClass().addAll(Styles.CARD, "gpu-detail", "live-area");
        Label stale = StaleMarks.apply(detail, vm.staleProperty(), vm.lastDataProperty(), m, f);
        root = new VBox(12, ViewHeader.of(m.get("nav.gpus"), null), stale, table, detail);
        VBox.setVgrow(detail, Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(GpusView.class, "gpus.css"));
        root.setId("gpus-view");
        if (!vm.gpus().isEmpty()) {
            table.getSelectionModel().select(0);
        } else {
            showDetail(null);
        }
    }

    private void showDetail(GpuHistory g) {
        charts.clear();
        if (g == null) {
            detail.getChildren().setAll(detailTitle);
            detailTitle.setText(m.get("gpus.pick"));
            return;
        }
        String time = m.get("chart.time", f.zoneName());
        TimeChart load = new TimeChart(m.get("gpus.load"), "%", 100.0).inZone(time, f.zone())
                .add(m.get("gpus.util"), g.util(), Palette.series(0)).add(m.get("gpus.memory"), g.memoryPercent(), Palette.series(1));
        TimeChart heat = new TimeChart(m.get("gpus.temperature"), "°C", null).inZone(time, f.zone())
                .add(m.get("gpus.temperature"), g.temperature(), Palette.series(8));
        TimeChart power = new TimeChart(m.get("gpus.power"), "W", null).inZone(time, f.zone())
                .add(m.get("gpus.power"), g.power(), Palette.series(5));
        charts.addAll(List.of(load, heat, power));
        HBox row = new HBox(8);
        for (TimeChart c : charts) {
            c.chart().setMinWidth(0);
            c.chart().setPrefWidth(0);
            c.chart().setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(c.chart(), Priority.ALWAYS);
            row.getChildren().add(c.chart());
            c.refresh();
        }
        VBox.setVgrow(row, Priority.ALWAYS);
        updateTitle(g);
        detail.getChildren().setAll(detailTitle, row);
    }

    private void updateTitle(GpuHistory g) {
        if (g == null) {
            return;
        }
        var s = g.last();
        String name = m.get("gpus.node", g.node()) + " · GPU " + g.index() + (s != null && s.name() != null ? " · " + s.name() : "");
        detailTitle.setText(s != null && s.stale() ? name + "  " + m.get("gpus.stale") : name);
    }

    /** Charts currently shown in the detail panel (for tests). */
    public List<TimeChart> charts() {
        return List.copyOf(charts);
    }

    public TableView<GpuHistory> table() {
        return table;
    }

    public Parent root() {
        return root;
    }
}
