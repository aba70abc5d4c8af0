package org.atrium.console.view.alerts;

import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.AlertTexts;
import org.atrium.console.view.widgets.Palette;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.AlertInfo;
import org.controlsfx.control.Notifications;

/** Active alerts (acknowledge) and history; new alerts pop up as notifications. */
public final class AlertsView {
    private final VBox root;

    public AlertsView(AlertsViewModel vm, Messages m, Formats f) {
        this(vm, m, f, new javafx.beans.property.SimpleBooleanProperty(false));
    }

    /** @param readOnly true for an auditor: every button that changes something is disabled */
    public AlertsView(AlertsViewModel vm, Messages m, Formats f, javafx.beans.value.ObservableBooleanValue readOnly) {
        TableView<AlertInfo> active = table(vm.active(), m, f, true);
        active.setId("alerts-active");
        TableView<AlertInfo> history = table(vm.history(), m, f, false);
        Button ack = new Button(m.get("alerts.ack"));
        ack.setId("alert-ack");
        ack.getStyleClass().add(Styles.ACCENT_BUTTON);
        ack.disableProperty().bind(active.getSelectionModel().selectedItemProperty().isNull().or(readOnly));
        ack.setOnAction(e -> vm.acknowledge(active.getSelectionModel().getSelectedItem()));
        Button refresh = new Button(m.get("action.refresh"));
        refresh.setOnAction(e -> vm.refresh());
        Label activeTitle = new Label(m.get("alerts.active"));
        activeTitle.getStyleClass().add(Styles.CARD_TITLE);
        Label historyTitle = new Label(m.get("alerts.history"));
        historyTitle.getStyleClass().add(Styles.CARD_TITLE);
        root = new VBox(12, ViewHeader.of(m.get("nav.alerts"), vm.busyProperty(), ack, refresh),
                new ProblemBar(vm.problemProperty(), m), activeTitle, active, historyTitle, history);
        VBox.setVgrow(history, javafx.scene.layout.Priority.ALWAYS);
        active.setPrefHeight(220);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(AlertsView.class, "alerts.css"));
        root.setId("alerts-view");
    }

    private static TableView<AlertInfo> table(javafx.collections.ObservableList<AlertInfo> items, Messages m, Formats f,
                                             boolean active) {
        TableView<AlertInfo> t = new TableView<>(items);
        t.setPlaceholder(new Label(m.get(active ? "alerts.none" : "alerts.noHistory")));
        t.getColumns().add(Columns.text(m.get("alerts.severity"), a -> m.has("severity." + a.severity())
                ? m.get("severity." + a.severity()) : a.severity()));
        t.getColumns().add(Columns.text(m.get("alerts.subject"), AlertInfo::subject));
        t.getColumns().add(Columns.text(m.get("alerts.message"), a -> AlertTexts.describe(a, m)));
        t.getColumns().add(Columns.text(m.get("alerts.fired") + " (" + f.zoneName() + ")", a -> f.instant(a.firedAt())));
        t.getColumns().add(active ? Columns.text(m.get("alerts.acked"), a -> m.get(a.acknowledged() ? "alerts.yes" : "alerts.no"))
                : Columns.text(m.get("alerts.resolved"), a -> f.instant(a.resolvedAt())));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // severity colours as on the wall and the GPU table; an acknowledged alert is visibly calmer
        t.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(AlertInfo a, boolean empty) {
                super.updateItem(a, empty);
                getStyleClass().removeAll("sev-critical", "sev-warning", "sev-info", "acknowledged");
                if (!empty && a != null) {
                    getStyleClass().add(Palette.severityClass(a.severity()));
                    if (a.acknowledged()) {
                        getStyleClass().add("acknowledged");
                    }
                }
            }
        });
        return t;
    }


    /** Pops a notification for a newly fired alert in the owner window's corner. */
    public static void notify(javafx.stage.Window owner, Messages m, AlertInfo a) {
        if (owner == null || !owner.isShowing()) {
            return;
        }
        Notifications n = Notifications.create()
                .owner(owner)
                .title(m.get("alerts.newTitle") + (a.subject() == null ? "" : " · " + a.subject()))
                .text(AlertTexts.describe(a, m))
                .position(Pos.BOTTOM_RIGHT)
                .hideAfter(Duration.seconds(10));
        if ("critical".equalsIgnoreCase(a.severity())) {
            n.showError();
        } else {
            n.showWarning();
        }
    }

    public Parent root() {
        return root;
    }
}
