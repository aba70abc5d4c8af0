package org.atrium.console.view.audit;

import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.AuditEntry;

/** The audit trail: read-only, searchable. */
public final class AuditView {
    private final VBox root;

    public AuditView(AuditViewModel vm, Messages m, Formats f) {
        TextField search = new TextField();
        search.setId("audit-search");
        search.setPromptText(m.get("audit.search"));
        search.textProperty().bindBidirectional(vm.searchProperty());
        TableView<AuditEntry> table = new TableView<>(vm.entries());
        table.setId("audit-table");
        table.setPlaceholder(new Label(m.get("audit.empty")));
        table.getColumns().add(Columns.text(m.get("audit.seq"), e -> Long.toString(e.seq())));
        table.getColumns().add(Columns.text(m.get("audit.at"), e -> f.instant(e.at())));
        table.getColumns().add(Columns.text(m.get("audit.actor"), AuditEntry::actor));
        table.getColumns().add(Columns.text(m.get("audit.address"), AuditEntry::address));
        table.getColumns().add(Columns.text(m.get("audit.action"), AuditEntry::action));
        table.getColumns().add(Columns.text(m.get("audit.target"), AuditEntry::target));
        table.getColumns().add(Columns.text(m.get("audit.change"), e -> e.after() == null ? "" : e.after()));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Button refresh = new Button(m.get("action.refresh"));
        refresh.setOnAction(e -> vm.refresh());
        root = new VBox(12, ViewHeader.of(m.get("nav.audit"), vm.busyProperty(), refresh), search,
                new ProblemBar(vm.problemProperty(), m), table);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(AuditView.class, "audit.css"));
        root.setId("audit-view");
    }


    public Parent root() {
        return root;
    }
}
