package org.atrium.console.view.tokens;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.FormDialog;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.controlsfx.control.CheckListView;

/** Token list with revoke; the issue dialog; the one-time display of a new token. */
public final class TokensView {
    private final VBox root;
    private final TokensViewModel vm;
    private final Messages m;
    private final Formats f;
    private final TableView<TokenInfo> table = new TableView<>();

    public TokensView(TokensViewModel vm, Messages m, Formats f) {
        this(vm, m, f, new javafx.beans.property.SimpleBooleanProperty(false));
    }

    /** @param readOnly true for an auditor: every button that changes something is disabled */
    public TokensView(TokensViewModel vm, Messages m, Formats f, javafx.beans.value.ObservableBooleanValue readOnly) {
        this.vm = vm;
        this.m = m;
        this.f = f;
        table.setItems(vm.tokens());
        table.setId("tokens-table");
        table.setPlaceholder(new Label(m.get("tokens.empty")));
        table.getColumns().add(Columns.text(m.get("tokens.tenant"), TokenInfo::tenant));
        table.getColumns().add(Columns.text(m.get("tokens.user"), TokenInfo::user));
        table.getColumns().add(Columns.text(m.get("tokens.tasks"), t -> String.join(", ", t.allowedTasks())));
        table.getColumns().add(Columns.text(m.get("tokens.role"), t -> m.get("role." + t.role())));
        table.getColumns().add(Columns.text(m.get("tokens.issued"), t -> f.instant(t.issuedAt())));
        table.getColumns().add(Columns.text(m.get("tokens.expires"), t -> f.instant(t.expiresAt())));
        table.getColumns().add(Columns.text(m.get("tokens.state"), t -> t.revoked()
                ? m.get("tokens.revoked", f.instant(t.revokedAt())) : m.get("tokens.valid")));
        table.getColumns().add(Columns.text(m.get("tokens.jti"), TokenInfo::jti));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Button issue = new Button(m.get("tokens.issue"));
        issue.setId("token-issue");
        issue.getStyleClass().add(Styles.ACCENT_BUTTON);
        issue.setOnAction(e -> issueDialog());
        Button revoke = new Button(m.get("tokens.revoke"));
        revoke.setId("token-revoke");
        revoke.getStyleClass().add(Styles.DANGER_BUTTON);
        revoke.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(readOnly));
        issue.disableProperty().bind(readOnly);
        revoke.setOnAction(e -> {
            TokenInfo t = table.getSelectionModel().getSelectedItem();
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, m.get("tokens.revokeConfirm", t.user(), t.tenant()),
                    new ButtonType(m.get("tokens.revoke"), ButtonBar.ButtonData.OK_DONE),
                    new ButtonType(m.get("action.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE));
            a.initOwner(revoke.getScene().getWindow());
            a.setHeaderText(m.get("tokens.revoke"));
            a.showAndWait().filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE).ifPresent(b -> vm.revoke(t));
        });
        Button refresh = new Button(m.get("action.refresh"));
        refresh.setOnAction(e -> vm.refresh());
        root = new VBox(12, ViewHeader.of(m.get("nav.tokens"), vm.busyProperty(), issue, revoke, refresh),
                new ProblemBar(vm.problemProperty(), m), table);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(TokensView.class, "tokens.css"));
        root.setId("tokens-view");
        vm.lastIssuedProperty().addListener((o, a, b) -> {
            if (b != null) {
                showOnce(b);
            }
        });
    }


    private void issueDialog() {
        ComboBox<String> tenant = new ComboBox<>(vm.tenantIds());
        tenant.setEditable(true);
        tenant.setId("token-tenant");
        if (!vm.tenantIds().isEmpty()) {
            tenant.setValue(vm.tenantIds().get(0));
        }
        TextField user = new TextField();
        user.setId("token-user");
        user.setPromptText(m.get("tokens.userHint"));
        CheckBox allTasks = new CheckBox(m.get("tokens.allTasks"));
        allTasks.setId("token-all-tasks");
        CheckListView<String> tasks = new CheckListView<>(vm.taskIds());
        tasks.setId("token-tasks");
        tasks.setPrefHeight(150);
        tasks.disableProperty().bind(allTasks.selectedProperty());
        ComboBox<String> role = new ComboBox<>();
        role.getItems().setAll("user", "auditor", "admin");
        role.setValue("user");
        role.setId("token-role");
        role.setConverter(converter(r -> m.get("role." + r)));
        ComboBox<Long> ttl = new ComboBox<>();
        ttl.getItems().setAll(TokensViewModel.LIFETIMES);
        ttl.setValue(TokensViewModel.LIFETIMES.get(2));
        ttl.setConverter(converter(s -> f.duration(java.time.Duration.ofSeconds(s))));
        ttl.setId("token-ttl");
        GridPane g = FormDialog.grid();
        g.addRow(0, new Label(m.get("tokens.tenant")), tenant);
        g.addRow(1, new Label(m.get("tokens.user")), user);
        g.addRow(2, new Label(m.get("tokens.tasks")), new VBox(6, allTasks, tasks));
        g.addRow(3, new Label(m.get("tokens.role")), role);
        g.addRow(4, new Label(m.get("tokens.lifetime")), ttl);
        FormDialog[] d = new FormDialog[1];
        d[0] = new FormDialog(root.getScene().getWindow(), m, m.get("tokens.issueTitle"), m.get("tokens.issue"), g,
                vm.busyProperty(), close -> {
                    List<String> chosen = allTasks.isSelected() ? List.of("*") : new ArrayList<>(tasks.getCheckModel().getCheckedItems());
                    if (chosen.isEmpty()) {
                        throw new IllegalArgumentException(m.get("tokens.chooseTask"));
                    }
                    TokenIssueRequest req = new TokenIssueRequest(tenant.getEditor().getText(), user.getText().strip(),
                            chosen, role.getValue(), ttl.getValue(), null);
                    var l = forward(d[0]);
                    vm.issue(req, () -> {
                        vm.problemProperty().removeListener(l);
                        close.run();
                    });
                });
        d[0].show();
    }

    private javafx.beans.value.ChangeListener<org.atrium.console.view.Problem> forward(FormDialog d) {
        javafx.beans.value.ChangeListener<org.atrium.console.view.Problem> l = (o, a, b) -> {
            if (b != null) {
                d.problemProperty().set(b);
                vm.problemProperty().set(null);
            }
        };
        vm.problemProperty().addListener(l);
        d.dialog().setOnHidden(e -> vm.problemProperty().removeListener(l));
        return l;
    }

    /** The only time the token is visible: copy it now, it cannot be shown again. */
    private void showOnce(TokenIssued issued) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(root.getScene().getWindow());
        d.setTitle(m.get("tokens.issuedTitle"));
        d.setHeaderText(m.get("tokens.issuedTitle"));
        Label warning = new Label(m.get("tokens.onceWarning"));
        warning.setWrapText(true);
        warning.getStyleClass().add(Styles.WARNING_BOX);
        TextArea token = new TextArea(issued.token());
        token.setEditable(false);
        token.setWrapText(true);
        token.setPrefRowCount(4);
        token.setId("issued-token");
        token.getStyleClass().add(Styles.SECRET);
        Button copy = new Button(m.get("tokens.copy"));
        copy.setId("token-copy");
        copy.getStyleClass().add(Styles.ACCENT_BUTTON);
        Label copied = new Label();
        copied.getStyleClass().add(Styles.OK);
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(issued.token());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            copied.setText(m.get("tokens.copied"));
        });
        Label meta = new Label(m.get("tokens.issuedMeta", issued.jti(), f.instant(issued.expiresAt())));
        meta.getStyleClass().add(Styles.MUTED);
        VBox box = new VBox(10, warning, token, new HBox(10, copy, copied), meta);
        box.setPrefWidth(560);
        d.getDialogPane().setContent(box);
        d.getDialogPane().getStylesheets().add(Styles.base());
        d.getDialogPane().getButtonTypes().add(new ButtonType(m.get("tokens.done"), ButtonBar.ButtonData.OK_DONE));
        d.setOnHidden(e -> {
            token.clear();
            vm.forgetIssued();
        });
        d.show();
    }

    private static <T> StringConverter<T> converter(java.util.function.Function<T, String> fn) {
        return new StringConverter<>() {
            @Override public String toString(T t) { return t == null ? "" : fn.apply(t); }
            @Override public T fromString(String s) { return null; }
        };
    }

    public Parent root() {
        return root;
    }
}
