package org.atrium.console.view.bans;

import java.time.Duration;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.Problem;
import org.atrium.console.view.widgets.FormDialog;
import org.atrium.console.view.widgets.ProblemBar;
import org.atrium.console.view.widgets.Columns;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.ViewHeader;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.TopTalker;

/** Active bans with time left (ticking), add/remove, and quick bans from the top talkers. */
public final class BansView {
    private final VBox root;
    private final BansViewModel vm;
    private final Messages m;
    private final Formats f;
    private final TableView<Ban> bans = new TableView<>();
    private final TableView<TopTalker> talkers = new TableView<>();

    public BansView(BansViewModel vm, Messages m, Formats f) {
        this(vm, m, f, new javafx.beans.property.SimpleBooleanProperty(false));
    }

    /** @param readOnly true for an auditor: every button that changes something is disabled */
    public BansView(BansViewModel vm, Messages m, Formats f, javafx.beans.value.ObservableBooleanValue readOnly) {
        this.vm = vm;
        this.m = m;
        this.f = f;
        bans.setItems(vm.bans());
        bans.setId("bans-table");
        bans.setPlaceholder(new Label(m.get("bans.empty")));
        bans.getColumns().add(Columns.text(m.get("bans.type"), b -> m.get("banType." + b.type().wire())));
        bans.getColumns().add(Columns.text(m.get("bans.target"), Ban::target));
        bans.getColumns().add(Columns.text(m.get("bans.reason"), b -> b.reason() == null ? "" : b.reason()));
        bans.getColumns().add(Columns.text(m.get("bans.addedBy"), b -> b.addedBy() == null ? "" : b.addedBy()));
        bans.getColumns().add(Columns.text(m.get("bans.addedAt"), b -> f.instant(b.addedAt())));
        bans.getColumns().add(Columns.text(m.get("bans.remaining"), b -> f.remaining(vm.remaining(b))));
        bans.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // Remaining time ticks down without asking the gateway again.
        Timeline tick = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> bans.refresh()));
        tick.setCycleCount(Timeline.INDEFINITE);
        tick.play();

        talkers.setItems(vm.talkers());
        talkers.setId("talkers-table");
        talkers.setPlaceholder(new Label(m.get("bans.noTalkers")));
        talkers.getColumns().add(Columns.text(m.get("bans.kind"), t -> m.get("banType." + t.kind())));
        talkers.getColumns().add(Columns.text(m.get("bans.target"), TopTalker::key));
        talkers.getColumns().add(Columns.text(m.get("bans.tenant"), t -> t.tenant() == null ? "" : t.tenant()));
        talkers.getColumns().add(Columns.number(m.get("bans.rate"), TopTalker::requestsPerMinute, f::number));
        // who is already banned (the gateway still counts their refused calls)
        talkers.getColumns().add(Columns.text(m.get("bans.status"), t -> {
            Ban b = vm.banOf(t);
            return b == null ? "" : b.expiresAt() == null ? m.get("bans.bannedForever") : m.get("bans.bannedUntil", f.instant(b.expiresAt()));
        }));
        talkers.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(TopTalker t, boolean empty) {
                super.updateItem(t, empty);
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("banned"), !empty && t != null && vm.banOf(t) != null);
            }
        });
        vm.bans().addListener((javafx.collections.ListChangeListener<Ban>) c -> talkers.refresh());
        talkers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        Button add = new Button(m.get("bans.add"));
        add.setId("ban-add");
        add.getStyleClass().add(Styles.ACCENT_BUTTON);
        add.setOnAction(e -> addDialog(BanType.IP, ""));
        Button remove = new Button(m.get("bans.remove"));
        remove.setId("ban-remove");
        remove.getStyleClass().add(Styles.DANGER_BUTTON);
        remove.disableProperty().bind(bans.getSelectionModel().selectedItemProperty().isNull().or(readOnly));
        add.disableProperty().bind(readOnly);
        remove.setOnAction(e -> vm.remove(bans.getSelectionModel().getSelectedItem()));
        Button refresh = new Button(m.get("action.refresh"));
        refresh.setOnAction(e -> vm.refresh());
        Button quick = new Button(m.get("bans.quickBan", f.duration(BansViewModel.QUICK_BAN)));
        quick.setId("ban-quick");
        quick.getStyleClass().add(Styles.DANGER_BUTTON);
        // nothing to do for a talker that is already banned
        var talkerChosen = javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            TopTalker t = talkers.getSelectionModel().getSelectedItem();
            return t == null || vm.banOf(t) != null;
        }, talkers.getSelectionModel().selectedItemProperty(), vm.bans());
        quick.disableProperty().bind(talkerChosen.or(readOnly));
        quick.setOnAction(e -> vm.quickBan(talkers.getSelectionModel().getSelectedItem(), m.get("bans.quickReason")));
        Button custom = new Button(m.get("bans.banWith"));
        custom.disableProperty().bind(talkerChosen.or(readOnly));
        custom.setOnAction(e -> {
            TopTalker t = talkers.getSelectionModel().getSelectedItem();
            addDialog("user".equals(t.kind()) ? BanType.USER : BanType.IP, t.key());
        });
        Label talkersTitle = new Label(m.get("bans.talkers"));
        talkersTitle.getStyleClass().add(Styles.CARD_TITLE);
        VBox talkerBox = new VBox(8, new HBox(10, talkersTitle, quick, custom), talkers);
        talkers.setPrefHeight(220);
        root = new VBox(12, ViewHeader.of(m.get("nav.bans"), vm.busyProperty(), add, remove, refresh),
                new ProblemBar(vm.problemProperty(), m), bans, talkerBox);
        VBox.setVgrow(bans, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(BansView.class, "bans.css"));
        root.setId("bans-view");
    }



    private void addDialog(BanType initialType, String initialTarget) {
        ComboBox<BanType> type = new ComboBox<>();
        type.getItems().setAll(BanType.values());
        type.setValue(initialType);
        type.setId("ban-type");
        type.setConverter(new StringConverter<>() {
            @Override public String toString(BanType t) { return t == null ? "" : m.get("banType." + t.wire()); }
            @Override public BanType fromString(String s) { return null; }
        });
        TextField target = new TextField(initialTarget);
        target.setId("ban-target");
        target.setPromptText(m.get("bans.targetHint"));
        TextField reason = new TextField();
        reason.setId("ban-reason");
        ToggleGroup presets = new ToggleGroup();
        HBox presetBox = new HBox(6);
        for (Duration d : BansViewModel.PRESETS) {
            ToggleButton b = new ToggleButton(f.duration(d));
            b.setUserData(d);
            b.setToggleGroup(presets);
            b.setId("ban-preset-" + d.toSeconds());
            presetBox.getChildren().add(b);
        }
        presets.selectToggle(presets.getToggles().get(1));
        GridPane g = FormDialog.grid();
        g.addRow(0, new Label(m.get("bans.type")), type);
        g.addRow(1, new Label(m.get("bans.target")), target);
        g.addRow(2, new Label(m.get("bans.reason")), reason);
        g.addRow(3, new Label(m.get("bans.duration")), presetBox);
        target.setPrefColumnCount(24);
        FormDialog[] d = new FormDialog[1];
        d[0] = new FormDialog(bans.getScene().getWindow(), m, m.get("bans.addTitle"), m.get("bans.add"), g,
                vm.busyProperty(), close -> {
                    if (target.getText().isBlank()) {
                        throw new IllegalArgumentException(m.get("bans.targetRequired"));
                    }
                    Duration dur = presets.getSelectedToggle() == null ? Duration.ZERO
                            : (Duration) presets.getSelectedToggle().getUserData();
                    javafx.beans.value.ChangeListener<Problem> l = (o, a, b) -> {
                        if (b != null) {
                            d[0].problemProperty().set(b);
                            vm.problemProperty().set(null);
                        }
                    };
                    vm.problemProperty().addListener(l);
                    d[0].dialog().setOnHidden(e -> vm.problemProperty().removeListener(l));
                    vm.add(type.getValue(), target.getText(), reason.getText(), dur, close);
                });
        d[0].show();
    }

    public Parent root() {
        return root;
    }
}
