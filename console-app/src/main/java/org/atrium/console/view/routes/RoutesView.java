package org.atrium.console.view.routes;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Messages;
import org.atrium.console.view.Problem;
import org.atrium.console.view.routes.RouteForm.BackendText;
import org.atrium.console.view.widgets.FormDialog;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.Balancer;
import org.atrium.model.BackendProbe;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;

/** Route table with live health and circuit; edit dialog; "test connection" with per-backend results. */
public final class RoutesView {
    private final VBox root;
    private final RoutesViewModel vm;
    private final Messages m;
    private final TableView<RouteSpec> table = new TableView<>();
    private final VBox testResult = new VBox(4);

    public RoutesView(RoutesViewModel vm, Messages m) {
        this(vm, m, new javafx.beans.property.SimpleBooleanProperty(false));
    }

    /** @param readOnly true for an auditor: every button that changes something is disabled */
    public RoutesView(RoutesViewModel vm, Messages m, javafx.beans.value.ObservableBooleanValue readOnly) {
        this.vm = vm;
        this.m = m;
        table.setItems(vm.routes());
        table.setId("routes-table");
        table.setPlaceholder(new Label(m.get("routes.empty")));
        table.getColumns().add(Columns.text(m.get("routes.id"), RouteSpec::id));
        table.getColumns().add(Columns.text(m.get("routes.backends"), r -> String.join("\n",
                r.backends().stream().map(b -> b.url() + "  ×" + b.weight() + "  ≤" + b.maxConcurrency()).toList())));
        table.getColumns().add(Columns.text(m.get("routes.balancer"), r -> m.get("balancer." + r.balancer().wire())));
        table.getColumns().add(Columns.number(m.get("routes.capacity"), RouteSpec::capacity, v -> Integer.toString(v.intValue())));
        table.getColumns().add(Columns.text(m.get("routes.load"), r -> String.join("\n", vm.load(r).stream()
                .map(l -> m.get("routes.loadValue", l.queue() == null ? m.get("routes.loadNone") : l.queue(),
                        percent(l.kvCachePercent()), percent(l.sharePercent()))).toList())));
        TableColumn<RouteSpec, String> health = Columns.text(m.get("routes.health"), r -> {
            var h = vm.health(r.id());
            return h.total() == 0 ? m.get("routes.noHealth") : m.get("routes.up", h.up(), h.total());
        });
        health.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                getStyleClass().removeAll(Styles.OK, Styles.DANGER, Styles.WARN);
                if (!empty && getTableRow() != null && getTableRow().getItem() != null) {
                    var h = vm.health(getTableRow().getItem().id());
                    if (h.total() > 0) {
                        getStyleClass().add(h.up() == h.total() ? Styles.OK : h.up() == 0 ? Styles.DANGER : Styles.WARN);
                    }
                }
            }
        });
        table.getColumns().add(health);
        table.getColumns().add(Columns.text(m.get("routes.circuit"), r -> {
            String c = vm.health(r.id()).circuit();
            return c == null ? "–" : m.has("circuit." + c.toLowerCase(java.util.Locale.ROOT))
                    ? m.get("circuit." + c.toLowerCase(java.util.Locale.ROOT)) : c;
        }));
        table.getColumns().add(Columns.text(m.get("routes.timeouts"), r -> m.get("routes.timeoutsValue",
                r.connectTimeoutSeconds(), r.readTimeoutSeconds(), r.queueTimeoutSeconds())));
        table.getColumns().add(Columns.text(m.get("routes.fallback"), r -> r.fallback() == null ? "–" : r.fallback()));
        table.getColumns().add(Columns.text(m.get("routes.source"), r -> r.source() == null ? "" : m.get("source." + r.source())));
        // the backends (host and port) and timeouts are what people read here: they get the room
        double[] widths = {110, 250, 100, 70, 80, 130, 230, 110, 120};
        for (int i = 0; i < widths.length && i < table.getColumns().size(); i++) {
            table.getColumns().get(i).setPrefWidth(widths[i]);
            table.getColumns().get(i).setMinWidth(i == 1 ? 220 : 60);
        }
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        vm.healthRevisionProperty().addListener((o, a, b) -> table.refresh());

        Button add = new Button(m.get("routes.add"));
        add.setId("route-add");
        add.getStyleClass().add(Styles.ACCENT_BUTTON);
        add.setOnAction(e -> edit(null));
        Button edit = new Button(m.get("action.edit"));
        edit.setId("route-edit");
        Button test = new Button(m.get("routes.test"));
        test.setId("route-test");
        Button refresh = new Button(m.get("action.refresh"));
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        // Routes from the configuration file are read-only through the admin API (the gateway answers
        // 409): the console says so and where to edit them instead of offering a dialog that fails.
        var fromFile = javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            RouteSpec r = table.getSelectionModel().getSelectedItem();
            return r != null && "config".equals(r.source());
        }, table.getSelectionModel().selectedItemProperty());
        edit.disableProperty().bind(none.or(fromFile).or(readOnly));
        add.disableProperty().bind(readOnly);
        Label fileNote = new Label(m.get("routes.configReadOnly"));
        fileNote.setId("route-file-note");
        fileNote.getStyleClass().add(Styles.WARNING_BOX);
        fileNote.setWrapText(true);
        fileNote.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        fileNote.visibleProperty().bind(fromFile);
        fileNote.managedProperty().bind(fromFile);
        test.disableProperty().bind(none.or(vm.busyProperty()));
        edit.setOnAction(e -> edit(table.getSelectionModel().getSelectedItem()));
        test.setOnAction(e -> vm.test(table.getSelectionModel().getSelectedItem().id()));
        refresh.setOnAction(e -> vm.refresh());
        table.setRowFactory(tv -> {
            var row = new javafx.scene.control.TableRow<RouteSpec>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty() && !"config".equals(row.getItem().source()) && !readOnly.get()) {
                    edit(row.getItem());
                }
            });
            return row;
        });
        testResult.setId("route-test-result");
        testResult.getStyleClass().add(Styles.CARD);
        testResult.setVisible(false);
        testResult.setManaged(false);
        vm.lastTestProperty().addListener((o, a, b) -> showTest(b));
        root = new VBox(12, ViewHeader.of(m.get("nav.routes"), vm.busyProperty(), add, edit, test, refresh),
                new ProblemBar(vm.problemProperty(), m), table, fileNote, testResult);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(RoutesView.class, "routes.css"));
        root.setId("routes-view");
    }

    private void showTest(RouteTestResult r) {
        testResult.getChildren().clear();
        testResult.setVisible(r != null);
        testResult.setManaged(r != null);
        if (r == null) {
            return;
        }
        // each backend counts: "1 of 2 backends answer" is a failure to look at, not a green "reachable"
        long up = r.backends().stream().filter(BackendProbe::ok).count();
        boolean all = up == r.backends().size() && up > 0;
        Label title = new Label(m.get(all ? "routes.testOk" : up == 0 ? "routes.testFailed" : "routes.testPartly",
                r.route(), Long.toString(up), Integer.toString(r.backends().size())));
        title.getStyleClass().addAll(Styles.CARD_TITLE, all ? Styles.OK : up == 0 ? Styles.DANGER : Styles.WARN);
        testResult.getChildren().add(title);
        for (BackendProbe p : r.backends()) {
            Label l = new Label((p.ok() ? "✔ " : "✘ ") + p.url() + " — " + (p.ok()
                    ? m.get("routes.probeOk", p.status(), p.latencyMs())
                    : m.get("routes.probeFailed", p.error() == null ? String.valueOf(p.status()) : p.error())));
            l.getStyleClass().addAll("probe", p.ok() ? Styles.OK : Styles.DANGER);
            testResult.getChildren().add(l);
        }
    }

    private String percent(Double v) {
        return v == null ? m.get("routes.loadNone") : Math.round(v) + " %";
    }

    private void edit(RouteSpec existing) {
        boolean isNew = existing == null;
        TextField id = new TextField(isNew ? "" : existing.id());
        id.setId("route-id");
        id.setDisable(!isNew);
        ComboBox<Balancer> balancer = new ComboBox<>();
        balancer.getItems().setAll(Balancer.values());
        balancer.setValue(isNew ? Balancer.ROUND_ROBIN : existing.balancer());
        balancer.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Balancer b) { return b == null ? "" : m.get("balancer." + b.wire()); }
            @Override public Balancer fromString(String s) { return null; }
        });
        VBox rows = new VBox(6);
        List<TextField[]> backendFields = new ArrayList<>();
        Runnable[] addRow = new Runnable[1];
        java.util.function.Consumer<BackendSpec> addBackend = b -> {
            TextField url = new TextField(b == null ? "" : b.url());
            url.setPromptText("http://gpu-node:8000");
            url.setPrefColumnCount(24);
            TextField w = new TextField(b == null ? "1" : String.valueOf(b.weight()));
            w.setPrefColumnCount(4);
            TextField c = new TextField(b == null ? String.valueOf(BackendSpec.DEFAULT_MAX_CONCURRENCY) : String.valueOf(b.maxConcurrency()));
            c.setPrefColumnCount(5);
            int n = backendFields.size();
            url.setId("backend-url-" + n);
            w.setId("backend-weight-" + n);
            c.setId("backend-capacity-" + n);
            TextField[] fields = {url, w, c};
            backendFields.add(fields);
            Button remove = new Button("−");
            HBox row = new HBox(6, url, new Label(m.get("routes.weight")), w, new Label(m.get("routes.maxConcurrency")), c, remove);
            remove.setOnAction(e -> {
                backendFields.remove(fields);
                rows.getChildren().remove(row);
            });
            rows.getChildren().add(row);
        };
        if (isNew) {
            addBackend.accept(null);
        } else {
            existing.backends().forEach(addBackend);
        }
        addRow[0] = () -> addBackend.accept(null);
        Button addBackendButton = new Button(m.get("routes.addBackend"));
        addBackendButton.setOnAction(e -> addRow[0].run());
        TextField connect = num("route-connect-timeout", isNew ? null : existing.connectTimeoutSeconds());
        TextField read = num("route-read-timeout", isNew ? null : existing.readTimeoutSeconds());
        TextField queue = num("route-queue-timeout", isNew ? null : existing.queueTimeoutSeconds());
        TextField maxQueue = num("route-max-queue", isNew ? null : existing.maxQueue());
        ComboBox<String> fallback = new ComboBox<>();
        fallback.getItems().add("");
        vm.routes().stream().map(RouteSpec::id).filter(r -> isNew || !r.equals(existing.id())).forEach(fallback.getItems()::add);
        fallback.setValue(isNew || existing.fallback() == null ? "" : existing.fallback());
        fallback.setId("route-fallback");
        GridPane g = FormDialog.grid();
        g.addRow(0, new Label(m.get("routes.id")), id);
        g.addRow(1, new Label(m.get("routes.balancer")), balancer);
        g.addRow(2, new Label(m.get("routes.backends")), new VBox(6, rows, addBackendButton));
        g.addRow(3, new Label(m.get("routes.connectTimeout")), connect);
        g.addRow(4, new Label(m.get("routes.readTimeout")), read);
        g.addRow(5, new Label(m.get("routes.queueTimeout")), queue);
        g.addRow(6, new Label(m.get("routes.maxQueue")), maxQueue);
        g.addRow(7, new Label(m.get("routes.fallback")), fallback);
        FormDialog[] d = new FormDialog[1];
        d[0] = new FormDialog(table.getScene().getWindow(), m,
                isNew ? m.get("routes.addTitle") : m.get("routes.editTitle", existing.id()), m.get("action.save"), g,
                vm.busyProperty(), close -> {
                    List<BackendText> backends = backendFields.stream()
                            .map(t -> new BackendText(t[0].getText(), t[1].getText(), t[2].getText())).toList();
                    RouteSpec spec = RouteForm.toSpec(existing, id.getText(), balancer.getValue(), backends,
                            connect.getText(), read.getText(), queue.getText(), maxQueue.getText(), fallback.getValue());
                    javafx.beans.value.ChangeListener<Problem> l = (o, a, b) -> {
                        if (b != null) {
                            d[0].problemProperty().set(b);
                            vm.problemProperty().set(null);
                        }
                    };
                    vm.problemProperty().addListener(l);
                    d[0].dialog().setOnHidden(e -> vm.problemProperty().removeListener(l));
                    vm.save(spec, isNew, close);
                });
        d[0].show();
    }

    private static TextField num(String id, Integer v) {
        TextField t = new TextField(v == null ? "" : v.toString());
        t.setId(id);
        t.setPrefColumnCount(6);
        return t;
    }

    public Parent root() {
        return root;
    }
}
