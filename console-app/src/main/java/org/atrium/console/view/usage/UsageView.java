package org.atrium.console.view.usage;

import java.time.LocalDate;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Palette;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.UsageRow;

/** Tokens per tenant per day for a date range (stacked bars), the rows, and CSV export. */
public final class UsageView {
    private final VBox root;
    private final UsageViewModel vm;
    private final StackedBarChart<String, Number> chart;
    private final Formats f;

    public UsageView(UsageViewModel vm, Messages m, Formats f) {
        this.f = f;
        this.vm = vm;
        DatePicker from = new DatePicker();
        from.valueProperty().bindBidirectional(vm.fromProperty());
        DatePicker to = new DatePicker();
        to.valueProperty().bindBidirectional(vm.toProperty());
        TextField tenant = new TextField();
        tenant.setPromptText(m.get("usage.allTenants"));
        tenant.textProperty().bindBidirectional(vm.tenantProperty());
        Button show = new Button(m.get("usage.show"));
        show.getStyleClass().add(Styles.ACCENT_BUTTON);
        show.setOnAction(e -> vm.refresh());
        Button export = new Button(m.get("usage.export"));
        export.setId("usage-export");
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle(m.get("usage.export"));
            fc.setInitialFileName("atrium-usage-" + vm.fromProperty().get() + "-" + vm.toProperty().get() + ".csv");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
            var file = fc.showSaveDialog(export.getScene().getWindow());
            if (file != null) {
                vm.exportCsv(file.toPath());
            }
        });
        Label exported = new Label();
        exported.getStyleClass().add(Styles.OK);
        vm.lastExportProperty().addListener((o, a, b) -> exported.setText(b == null ? "" : m.get("usage.exported", b)));
        HBox filters = new HBox(8, new Label(m.get("usage.from")), from, new Label(m.get("usage.to")), to,
                new Label(m.get("usage.tenant")), tenant, show, export, exported);
        filters.getStyleClass().add("filters");

        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel(m.get("usage.tokens"));
        chart = new StackedBarChart<>(x, y);
        chart.setAnimated(false);
        chart.setTitle(m.get("usage.chartTitle"));
        chart.setPrefHeight(320);
        chart.setId("usage-chart");

        TableView<UsageRow> table = new TableView<>(vm.rows());
        table.setPlaceholder(new Label(m.get("usage.empty")));
        table.getColumns().add(Columns.text(m.get("usage.day") + " (" + f.zoneName() + ")", r -> f.date(r.day())));
        table.getColumns().add(Columns.text(m.get("usage.tenant"), UsageRow::tenant));
        table.getColumns().add(Columns.number(m.get("usage.requests"), UsageRow::requests, f::number));
        table.getColumns().add(Columns.number(m.get("usage.errors"), UsageRow::errors, f::number));
        table.getColumns().add(Columns.number(m.get("usage.promptTokens"), UsageRow::promptTokens, f::number));
        table.getColumns().add(Columns.number(m.get("usage.completionTokens"), UsageRow::completionTokens, f::number));
        table.getColumns().add(Columns.number(m.get("usage.gpuSeconds") + " (s)", UsageRow::gpuSeconds, f::number));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        vm.rows().addListener((ListChangeListener<UsageRow>) c -> redraw());

        root = new VBox(12, ViewHeader.of(m.get("nav.usage"), vm.busyProperty()), filters,
                new ProblemBar(vm.problemProperty(), m), chart, table);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(UsageView.class, "usage.css"));
        root.setId("usage-view");
    }

    private void redraw() {
        chart.getData().clear();
        var days = vm.days();
        // each department in its own colour, the same as on the live charts and the wall (legend included)
        StringBuilder colors = new StringBuilder();
        int i = 0;
        for (String tenant : vm.tokensByTenantAndDay().keySet()) {
            colors.append("CHART_COLOR_").append(++i).append(": ").append(Palette.department(tenant)).append(";");
        }
        chart.setStyle(colors.toString());
        for (Map.Entry<String, Map<LocalDate, Long>> t : vm.tokensByTenantAndDay().entrySet()) {
            XYChart.Series<String, Number> s = new XYChart.Series<>();
            s.setName(t.getKey());
            for (LocalDate d : days) {
                s.getData().add(new XYChart.Data<>(f.shortDate(d), t.getValue().getOrDefault(d, 0L)));
            }
            chart.getData().add(s);
        }
    }

    public Parent root() {
        return root;
    }
}
