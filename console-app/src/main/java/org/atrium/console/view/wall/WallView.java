package org.atrium.console.view.wall;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.HPos;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.AlertTexts;
import org.atrium.console.view.widgets.Palette;
import org.atrium.console.view.widgets.StaleMarks;
import org.atrium.console.view.widgets.Styles;
import org.atrium.model.AlertInfo;
import org.atrium.model.BackendLive;
import org.atrium.model.TenantLive;

/**
 * The IT-room wall: dark, one page, readable across the room. Left every GPU; right each
 * department's load, every backend up or down by name, the active alerts. When the feed is down a
 * full-width banner says since when and everything else dims; a new critical alert takes the screen.
 */
public final class WallView {
    /** Alerts listed at most; the rest are counted ("+3 more"). */
    static final int MAX_ALERTS = 6;

    private final StackPane root = new StackPane();
    private final BorderPane page = new BorderPane();
    private final GpuMap gpuMap;
    private final GridPane departments = new GridPane();
    private final VBox backends = new VBox();
    private final VBox alerts = new VBox();
    private final Label gpuTitle = new Label();
    private final Timeline tick;
    private final WallViewModel vm;
    private final Messages m;
    private final Formats f;

    public WallView(WallViewModel vm, Messages m, Formats f, Node connection, Clock clock) {
        this.vm = vm;
        this.m = m;
        this.f = f;
        gpuMap = new GpuMap(m, f);

        Label brand = new Label(m.get("app.name"));
        brand.getStyleClass().add("wall-brand");
        Label time = new Label();
        time.getStyleClass().add("wall-clock");
        time.setId("wall-clock");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(24, brand, spacer, connection, time);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("wall-top");

        Label banner = new Label();
        banner.setId("wall-banner");
        banner.getStyleClass().add("wall-banner");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setMinHeight(Region.USE_PREF_SIZE);
        banner.textProperty().bind(Bindings.createStringBinding(() -> {
            String since = StaleMarks.text(vm.lastDataProperty().get(), m, f);
            String why = m.reason(vm.detailProperty().get());
            return m.get("wall.banner") + " — " + since + (why == null || why.isBlank() ? "" : " (" + why + ")");
        }, vm.lastDataProperty(), vm.detailProperty(), vm.staleProperty()));
        banner.visibleProperty().bind(vm.staleProperty());
        banner.managedProperty().bind(vm.staleProperty());

        gpuTitle.getStyleClass().add("wall-section");
        gpuTitle.setWrapText(true);
        gpuTitle.setMinHeight(Region.USE_PREF_SIZE);
        VBox gpuBox = new VBox(8, gpuTitle, gpuMap);
        VBox.setVgrow(gpuMap, Priority.ALWAYS);
        gpuBox.setId("wall-gpus");

        departments.getStyleClass().add("wall-table");
        departments.setId("wall-departments");
        backends.getStyleClass().add("wall-list");
        backends.setId("wall-backends");
        alerts.getStyleClass().add("wall-list");
        alerts.setId("wall-alerts");
        VBox side = new VBox(14, section(m.get("wall.departments")), departments, section(m.get("wall.backends")),
                backends, section(m.get("wall.alerts")), alerts);
        side.getStyleClass().add("wall-side");
        side.setMinWidth(0);

        GridPane body = new GridPane();
        body.getStyleClass().add("wall-body");
        body.setHgap(24);
        ColumnConstraints left = new ColumnConstraints();
        left.setPercentWidth(60);
        ColumnConstraints right = new ColumnConstraints();
        right.setPercentWidth(40);
        right.setFillWidth(true);
        body.getColumnConstraints().addAll(left, right);
        body.add(gpuBox, 0, 0);
        body.add(side, 1, 0);
        GridPane.setVgrow(gpuBox, Priority.ALWAYS);
        GridPane.setHgrow(side, Priority.ALWAYS);
        body.setMinSize(0, 0);
        StaleMarks.apply(body, vm.staleProperty(), vm.lastDataProperty(), m, f);

        page.setTop(new VBox(10, top, banner));
        page.setCenter(body);
        BorderPane.setMargin(body, new javafx.geometry.Insets(12, 0, 0, 0));

        Node takeover = takeover();
        root.getChildren().addAll(page, takeover);
        root.getStyleClass().addAll(Styles.VIEW, Styles.DARK, "wall");
        root.getStylesheets().addAll(org.atrium.console.view.widgets.Theme.dark(), Styles.base(), Styles.of(WallView.class, "wall.css"));
        root.setId("wall-view");
        // Everything on the wall is sized in em of one font size that follows the screen.
        root.sceneProperty().addListener((o, a, scene) -> {
            root.styleProperty().unbind();
            gpuMap.minFontProperty().unbind();
            gpuMap.maxFontProperty().unbind();
            if (scene != null) {
                var size = Bindings.createDoubleBinding(() -> fontSize(scene.getWidth(), scene.getHeight()),
                        scene.widthProperty(), scene.heightProperty());
                root.styleProperty().bind(Bindings.createStringBinding(() -> "-fx-font-size: " + size.get() + "px;", size));
                gpuMap.minFontProperty().bind(Bindings.createDoubleBinding(() -> minText(scene.getHeight()),
                        scene.heightProperty()));
                gpuMap.maxFontProperty().bind(size.multiply(2));
            }
        });

        vm.gpus().addListener((ListChangeListener<WallViewModel.GpuCell>) c -> showGpus());
        vm.tenants().addListener((ListChangeListener<TenantLive>) c -> showDepartments());
        vm.backends().addListener((ListChangeListener<BackendLive>) c -> showBackends());
        vm.alerts().addListener((ListChangeListener<AlertInfo>) c -> showAlerts());
        showGpus();
        showDepartments();
        showBackends();
        showAlerts();

        Runnable clockText = () -> time.setText(f.time(clock.instant()) + " " + f.zoneName());
        tick = new Timeline(new KeyFrame(Duration.seconds(1), e -> {
            clockText.run();
            vm.tick();
        }));
        tick.setCycleCount(Timeline.INDEFINITE);
        tick.play();
        clockText.run();
    }

    /** The wall's base font size in px: about 1/46 of the screen height (23 px at 1080), 12-56. */
    public static double fontSize(double width, double height) {
        if (width <= 0 || height <= 0) {
            return 20;
        }
        double s = Math.min(height / 46, width / 80);
        return Math.round(Math.max(12, Math.min(56, s)) * 10) / 10.0;
    }

    /** The smallest text allowed on a wall of this height: 1/60 of it. */
    public static double minText(double height) {
        return Math.ceil(height / 60 * 10) / 10.0;
    }

    private Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("wall-section");
        return l;
    }

    private Node takeover() {
        Label head = new Label();
        head.getStyleClass().add("takeover-head");
        Label what = new Label();
        what.getStyleClass().add("takeover-text");
        what.setWrapText(true);
        Label since = new Label();
        since.getStyleClass().add("takeover-since");
        Label hint = new Label(m.get("wall.takeoverHint"));
        hint.getStyleClass().add("takeover-hint");
        VBox box = new VBox(24, head, what, since, hint);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("takeover");
        box.setId("wall-takeover");
        box.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        Runnable show = () -> {
            AlertInfo a = vm.takeoverProperty().get();
            box.setVisible(a != null);
            if (a != null) {
                head.setText(m.get("severity.critical") + " · " + a.subject());
                what.setText(AlertTexts.describe(a, m));
                since.setText(m.get("wall.since", f.time(a.firedAt())));
            }
        };
        vm.takeoverProperty().addListener((o, x, y) -> show.run());
        box.setOnMouseClicked(e -> vm.dismissTakeover());
        show.run();
        return box;
    }

    private void showGpus() {
        gpuMap.show(vm.gpus());
        gpuTitle.setText(vm.gpus().isEmpty() ? m.get("wall.noGpus") : m.get("wall.gpus", vm.gpus().size(), vm.servers()));
    }

    private void showDepartments() {
        departments.getChildren().clear();
        departments.getColumnConstraints().setAll(col(HPos.LEFT, true), col(HPos.RIGHT, false),
                col(HPos.RIGHT, false), col(HPos.RIGHT, false));
        departments.add(head(m.get("wall.department")), 0, 0);
        departments.add(head(m.get("unit.rps")), 1, 0);
        departments.add(head(m.get("unit.tps")), 2, 0);
        departments.add(head(m.get("wall.waiting")), 3, 0);
        int r = 1;
        for (TenantLive t : vm.tenants()) {
            Region dot = new Region();
            dot.getStyleClass().add("dept-dot");
            dot.setStyle("-fx-background-color: " + Palette.department(t.tenant()) + ";");
            Label name = cell(t.tenant());
            name.setGraphic(dot);
            departments.add(name, 0, r);
            departments.add(cell(f.number(t.requestsPerSec())), 1, r);
            departments.add(cell(f.number(t.tokensPerSec())), 2, r);
            departments.add(cell(f.number(t.queued())), 3, r);
            r++;
        }
        if (vm.tenants().isEmpty()) {
            departments.add(muted(m.get("wall.noTraffic")), 0, 1, 4, 1);
        }
    }

    private void showBackends() {
        backends.getChildren().clear();
        for (BackendLive b : vm.backends()) {
            Label state = new Label(m.get(b.up() ? "wall.up" : "wall.down"));
            state.getStyleClass().addAll("backend-state", b.up() ? "state-up" : "state-down");
            state.setMinWidth(Region.USE_PREF_SIZE);
            Label name = new Label(b.route() + "  " + hostPort(b.backend()));
            name.setWrapText(true);
            name.setMinHeight(Region.USE_PREF_SIZE);
            name.getStyleClass().add("wall-cell");
            HBox row = new HBox(10, state, name);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("wall-row");
            backends.getChildren().add(row);
        }
        if (vm.backends().isEmpty()) {
            backends.getChildren().add(muted(m.get("wall.noBackends")));
        }
    }

    private void showAlerts() {
        alerts.getChildren().clear();
        List<AlertInfo> list = vm.alerts();
        for (AlertInfo a : list.subList(0, Math.min(MAX_ALERTS, list.size()))) {
            Label sev = new Label(m.get("severity." + Palette.severityClass(a.severity()).substring(4)));
            sev.getStyleClass().addAll("severity-badge", Palette.severityClass(a.severity()));
            sev.setMinWidth(Region.USE_PREF_SIZE);
            Label text = new Label(AlertTexts.describe(a, m) + "  ·  " + m.get("wall.since", f.time(a.firedAt())));
            text.setWrapText(true);
            text.setMinHeight(Region.USE_PREF_SIZE);
            text.getStyleClass().add("wall-cell");
            HBox row = new HBox(10, sev, text);
            row.setAlignment(Pos.TOP_LEFT);
            row.getStyleClass().addAll("wall-row", "alert-row");
            if (a.acknowledged()) {
                // seen by someone: still listed, but it no longer shouts
                row.getStyleClass().add("acknowledged");
                text.setText(text.getText() + "  ·  " + m.get("wall.acknowledged"));
            }
            alerts.getChildren().add(row);
        }
        if (list.size() > MAX_ALERTS) {
            alerts.getChildren().add(muted(m.get("wall.moreAlerts", list.size() - MAX_ALERTS)));
        }
        if (list.isEmpty()) {
            alerts.getChildren().add(muted(m.get("wall.noAlerts")));
        }
    }

    /** "http://10.20.0.15:9000/v1" → "10.20.0.15:9000": the part IT staff recognise. */
    static String hostPort(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() != null) {
                return u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
            }
        } catch (IllegalArgumentException e) {
            // not a URL: show as given
        }
        return url;
    }

    private static ColumnConstraints col(HPos align, boolean grow) {
        ColumnConstraints c = new ColumnConstraints();
        c.setHalignment(align);
        c.setHgrow(grow ? Priority.ALWAYS : Priority.NEVER);
        c.setMinWidth(Region.USE_PREF_SIZE);
        return c;
    }

    private static Label head(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("wall-head");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label cell(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("wall-cell");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll("wall-cell", Styles.MUTED);
        l.setWrapText(true);
        return l;
    }

    /** The GPU tiles now on the wall (for tests). */
    public List<? extends Node> gpuTiles() {
        return gpuMap.tiles();
    }

    public void stop() {
        tick.stop();
    }

    public Parent root() {
        return root;
    }
}
