package org.atrium.console.view.tenants;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.Problem;
import org.atrium.console.view.tenants.TenantForm.Field;
import org.atrium.console.view.tenants.TenantsViewModel.TenantRow;
import org.atrium.console.view.widgets.FormDialog;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;
import org.controlsfx.validation.Severity;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/** Tenant table with quota bars; create/edit dialog with inline validation; enable/disable. */
public final class TenantsView {
    private final VBox root;
    private final TenantsViewModel vm;
    private final Messages m;
    private final TableView<TenantRow> table = new TableView<>();

    public TenantsView(TenantsViewModel vm, Messages m, Formats f) {
        this(vm, m, f, new javafx.beans.property.SimpleBooleanProperty(false));
    }

    /** @param readOnly true for an auditor: every button that changes something is disabled */
    public TenantsView(TenantsViewModel vm, Messages m, Formats f, javafx.beans.value.ObservableBooleanValue readOnly) {
        this.vm = vm;
        this.m = m;
        table.setItems(vm.rows());
        table.setId("tenants-table");
        table.setPlaceholder(new Label(m.get("tenants.empty")));
        table.getColumns().add(Columns.text(m.get("tenants.id"), r -> r.spec().id()));
        table.getColumns().add(Columns.text(m.get("tenants.name"), r -> r.spec().name()));
        table.getColumns().add(Columns.text(m.get("tenants.state"), r -> m.get(r.spec().enabled() ? "tenants.enabled" : "tenants.disabled")));
        table.getColumns().add(Columns.text(m.get("tenants.priority"), r -> m.get("priority." + r.spec().priority().wire())));
        table.getColumns().add(Columns.number(m.get("tenants.weight"), r -> r.spec().weight(), f::number));
        table.getColumns().add(Columns.number(m.get("tenants.requestsToday"), TenantRow::requestsToday, f::number));
        table.getColumns().add(quotaCol(m.get("tenants.requestQuota"), true, f));
        table.getColumns().add(quotaCol(m.get("tenants.tokenQuota"), false, f));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(tv -> {
            var row = new javafx.scene.control.TableRow<TenantRow>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty() && !readOnly.get()) {
                    edit(row.getItem().spec());
                }
            });
            return row;
        });

        Button add = new Button(m.get("tenants.add"));
        add.getStyleClass().add(Styles.ACCENT_BUTTON);
        add.setId("tenant-add");
        add.setOnAction(e -> edit(null));
        Button edit = new Button(m.get("action.edit"));
        Button toggle = new Button(m.get("tenants.toggle"));
        Button refresh = new Button(m.get("action.refresh"));
        var noSelection = table.getSelectionModel().selectedItemProperty().isNull();
        edit.disableProperty().bind(noSelection.or(readOnly));
        add.disableProperty().bind(readOnly);
        toggle.disableProperty().bind(noSelection.or(readOnly));
        edit.setOnAction(e -> edit(table.getSelectionModel().getSelectedItem().spec()));
        toggle.setOnAction(e -> {
            TenantSpec s = table.getSelectionModel().getSelectedItem().spec();
            vm.setEnabled(s, !s.enabled());
        });
        refresh.setOnAction(e -> vm.refresh());
        root = new VBox(12, ViewHeader.of(m.get("nav.tenants"), vm.busyProperty(), add, edit, toggle, refresh),
                new ProblemBar(vm.problemProperty(), m), table);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(TenantsView.class, "tenants.css"));
        root.setId("tenants-view");
    }


    private TableColumn<TenantRow, TenantRow> quotaCol(String title, boolean requests, Formats f) {
        TableColumn<TenantRow, TenantRow> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue()));
        c.setCellFactory(x -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar();
            private final Label text = new Label();
            private final StackPane box = new StackPane(bar, text);

            {
                bar.setMaxWidth(Double.MAX_VALUE);
                bar.getStyleClass().add("quota-bar");
                text.getStyleClass().add("quota-text");
            }

            @Override
            protected void updateItem(TenantRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setGraphic(null);
                    return;
                }
                double used = requests ? r.requestQuotaUsed() : r.tokenQuotaUsed();
                if (Double.isNaN(used)) {
                    setGraphic(new Label(m.get("tenants.noQuota")));
                    return;
                }
                bar.setProgress(used);
                bar.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("high"), used >= 0.9);
                long quota = requests ? r.spec().dailyRequestQuota() : r.spec().dailyTokenQuota();
                text.setText(f.number(requests ? r.requestsToday() : r.tokensToday()) + " / " + f.number(quota));
                setGraphic(box);
            }
        });
        return c;
    }

    private void edit(TenantSpec existing) {
        boolean isNew = existing == null;
        TenantSpec s = isNew ? TenantSpec.of("new") : existing;
        TextField id = field("tenant-id", isNew ? "" : s.id());
        id.setDisable(!isNew);
        TextField name = field("tenant-name", isNew ? "" : s.name());
        CheckBox enabled = new CheckBox(m.get("tenants.enabled"));
        enabled.setSelected(s.enabled());
        TextField weight = field("tenant-weight", Integer.toString(s.weight()));
        ComboBox<Priority> priority = new ComboBox<>();
        priority.getItems().setAll(Priority.values());
        priority.setValue(s.priority());
        priority.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Priority p) { return p == null ? "" : m.get("priority." + p.wire()); }
            @Override public Priority fromString(String x) { return null; }
        });
        TextField rpm = field("tenant-rpm", TenantForm.str(s.requestsPerMinute()));
        TextField burst = field("tenant-burst", TenantForm.str(s.burst()));
        TextField userRpm = field("tenant-user-rpm", TenantForm.str(s.userRequestsPerMinute()));
        TextField maxConc = field("tenant-max-concurrent", TenantForm.str(s.maxConcurrent()));
        TextField dayReq = field("tenant-daily-requests", TenantForm.str(s.dailyRequestQuota()));
        TextField dayTok = field("tenant-daily-tokens", TenantForm.str(s.dailyTokenQuota()));
        TextField routes = field("tenant-routes", String.join(", ", s.allowedRoutes()));
        routes.setPromptText(m.get("tenants.routesHint", String.join(", ", vm.routeIds().stream().limit(5).toList())));

        ValidationSupport validation = new ValidationSupport();
        register(validation, id, Field.ID);
        register(validation, name, Field.NAME);
        register(validation, weight, Field.WEIGHT);
        register(validation, rpm, Field.RPM);
        register(validation, burst, Field.BURST);
        register(validation, userRpm, Field.USER_RPM);
        register(validation, maxConc, Field.MAX_CONCURRENT);
        register(validation, dayReq, Field.DAILY_REQUESTS);
        register(validation, dayTok, Field.DAILY_TOKENS);

        GridPane g = FormDialog.grid();
        int r = 0;
        g.addRow(r++, new Label(m.get("tenants.id")), id, new Label(m.get("tenants.name")), name);
        g.addRow(r++, new Label(m.get("tenants.weight")), weight, new Label(m.get("tenants.priority")), priority);
        g.addRow(r++, new Label(m.get("tenants.rpm")), rpm, new Label(m.get("tenants.burst")), burst);
        g.addRow(r++, new Label(m.get("tenants.userRpm")), userRpm, new Label(m.get("tenants.maxConcurrent")), maxConc);
        g.addRow(r++, new Label(m.get("tenants.dailyRequests")), dayReq, new Label(m.get("tenants.dailyTokens")), dayTok);
        g.add(new Label(m.get("tenants.routes")), 0, r);
        g.add(routes, 1, r++, 3, 1);
        g.add(enabled, 1, r);
        Label hint = new Label(m.get("tenants.blankHint"));
        hint.getStyleClass().add(Styles.MUTED);
        g.add(hint, 0, ++r, 4, 1);

        FormDialog[] holder = new FormDialog[1];
        holder[0] = new FormDialog(root.getScene().getWindow(), m,
                m.get(isNew ? "tenants.createTitle" : "tenants.editTitle", s.id()), m.get("action.save"), g,
                vm.busyProperty(), close -> {
                    if (validation.isInvalid()) {
                        holder[0].problemProperty().set(new Problem("VALIDATION_FAILED", m.get("validation.fixFields"), null));
                        return;
                    }
                    TenantSpec spec = TenantForm.toSpec(id.getText(), name.getText(), enabled.isSelected(), weight.getText(),
                            priority.getValue(), rpm.getText(), burst.getText(), userRpm.getText(), maxConc.getText(),
                            dayReq.getText(), dayTok.getText(), routes.getText());
                    forwardProblems(holder[0]);
                    vm.save(spec, isNew, close);
                });
        holder[0].show();
    }

    /** While the dialog is open, command failures show inside it rather than behind it. */
    private void forwardProblems(FormDialog d) {
        ChangeListener<Problem> l = (o, a, b) -> {
            if (b != null) {
                d.problemProperty().set(b);
                vm.problemProperty().set(null);
            }
        };
        vm.problemProperty().addListener(l);
        d.dialog().setOnHidden(e -> vm.problemProperty().removeListener(l));
    }

    private void register(ValidationSupport v, TextField field, Field f) {
        v.registerValidator(field, false, (javafx.scene.control.Control c, String text) -> {
            var problem = TenantForm.check(f, text);
            return ValidationResult.fromMessageIf(c, problem.map(m::get).orElse(""), Severity.ERROR, problem.isPresent());
        });
    }

    private static TextField field(String id, String text) {
        TextField t = new TextField(text);
        t.setId(id);
        t.setPrefColumnCount(12);
        return t;
    }

    public Parent root() {
        return root;
    }

}
