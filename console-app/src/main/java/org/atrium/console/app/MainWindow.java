package org.atrium.console.app;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.alerts.AlertsView;
import org.atrium.console.view.audit.AuditView;
import org.atrium.console.view.bans.BansView;
import org.atrium.console.view.connection.ConnectionBar;
import org.atrium.console.view.dashboard.DashboardView;
import org.atrium.console.view.gpus.GpusView;
import org.atrium.console.view.live.LiveView;
import org.atrium.console.view.routes.RoutesView;
import org.atrium.console.view.settings.SettingsView;
import org.atrium.console.view.tenants.TenantsView;
import org.atrium.console.view.tokens.TokensView;
import org.atrium.console.view.usage.UsageView;
import org.atrium.console.view.wall.WallView;
import org.atrium.console.view.wall.WallViewModel;
import org.atrium.console.view.widgets.Styles;

/** The desktop window: menu, navigation on the left, the chosen screen, the connection bar below. */
public final class MainWindow {
    /** The screens, in navigation order. */
    public enum Screen { DASHBOARD, GPUS, LIVE, TENANTS, TOKENS, BANS, ROUTES, USAGE, ALERTS, AUDIT, SETTINGS }

    private static final Map<Screen, String> ICONS = Map.ofEntries(Map.entry(Screen.DASHBOARD, "mdi2v-view-dashboard"),
            Map.entry(Screen.GPUS, "mdi2c-chip"), Map.entry(Screen.LIVE, "mdi2c-chart-line"),
            Map.entry(Screen.TENANTS, "mdi2o-office-building"), Map.entry(Screen.TOKENS, "mdi2k-key"),
            Map.entry(Screen.BANS, "mdi2c-cancel"), Map.entry(Screen.ROUTES, "mdi2t-transit-connection-variant"),
            Map.entry(Screen.USAGE, "mdi2c-chart-bar"), Map.entry(Screen.ALERTS, "mdi2b-bell"),
            Map.entry(Screen.AUDIT, "mdi2h-history"), Map.entry(Screen.SETTINGS, "mdi2c-cog"));

    /** What the window asks of the app (menu items). */
    public interface Actions {
        void openWall();

        void connectTo();

        void quit();

        /** True when the console itself may start and stop a local gateway (no service installed). */
        default boolean managesGateway() {
            return false;
        }

        default void startGateway() {
        }

        default void stopGateway() {
        }
    }

    private final BorderPane root = new BorderPane();
    private final Map<Screen, Parent> views = new EnumMap<>(Screen.class);
    private final ListView<Screen> nav = new ListView<>();
    private final StackPane content = new StackPane();
    private final ViewModels vms;

    public MainWindow(ViewModels vms, Messages m, Formats f, Actions actions, String tokenFile) {
        this.vms = vms;
        views.put(Screen.DASHBOARD, new DashboardView(vms.dashboard(), m, f).root());
        views.put(Screen.GPUS, new GpusView(vms.gpus(), m, f).root());
        views.put(Screen.LIVE, new LiveView(vms.live(), m, f, false).root());
        views.put(Screen.TENANTS, new TenantsView(vms.tenants(), m, f, vms.connection().readOnlyProperty()).root());
        views.put(Screen.TOKENS, new TokensView(vms.tokens(), m, f, vms.connection().readOnlyProperty()).root());
        views.put(Screen.BANS, new BansView(vms.bans(), m, f, vms.connection().readOnlyProperty()).root());
        views.put(Screen.ROUTES, new RoutesView(vms.routes(), m, vms.connection().readOnlyProperty()).root());
        views.put(Screen.USAGE, new UsageView(vms.usage(), m, f).root());
        views.put(Screen.ALERTS, new AlertsView(vms.alerts(), m, f, vms.connection().readOnlyProperty()).root());
        views.put(Screen.AUDIT, new AuditView(vms.audit(), m, f).root());
        views.put(Screen.SETTINGS, new SettingsView(vms.settings(), m, vms.connection().addressProperty().get(), tokenFile).root());

        nav.getItems().setAll(Screen.values());
        nav.setId("nav");
        nav.getStyleClass().add("nav");
        nav.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Screen s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : m.get("nav." + s.name().toLowerCase(Locale.ROOT)));
                setGraphic(empty || s == null ? null : org.atrium.console.view.widgets.Theme.icon(ICONS.get(s)));
                setId(empty || s == null ? null : "nav-" + s.name().toLowerCase(Locale.ROOT));
            }
        });
        nav.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                show(b);
            }
        });
        Label brand = new Label(m.get("app.name"));
        brand.getStyleClass().add("brand");
        VBox side = new VBox(brand, nav);
        side.getStyleClass().add("sidebar");
        VBox.setVgrow(nav, Priority.ALWAYS);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // a personal admin or auditor token is one click away (the audit trail then names the person)
        javafx.scene.control.Button signIn = new javafx.scene.control.Button(m.get("connect.signIn"),
                org.atrium.console.view.widgets.Theme.icon("mdi2a-account-key"));
        signIn.setId("sign-in");
        signIn.getStyleClass().add("flat");
        signIn.setOnAction(e -> actions.connectTo());
        HBox status = new HBox(12, new ConnectionBar(vms.connection(), m, false), spacer, signIn);
        status.getStyleClass().add("status-bar");

        root.setTop(menu(m, actions));
        root.setLeft(side);
        root.setCenter(content);
        root.setBottom(status);
        root.getStyleClass().add("atrium-root");
        root.getStylesheets().add(Styles.base());
        content.getStyleClass().add("content");
        nav.getSelectionModel().select(Screen.DASHBOARD);
    }

    private MenuBar menu(Messages m, Actions actions) {
        MenuItem connect = new MenuItem(m.get("menu.connect"));
        connect.setOnAction(e -> actions.connectTo());
        MenuItem quit = new MenuItem(m.get("menu.quit"));
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(e -> actions.quit());
        Menu file = new Menu(m.get("menu.file"), null, connect, new SeparatorMenuItem(), quit);
        if (actions.managesGateway()) {
            // without a service (containers, WSL, a desktop without systemd) the console runs the gateway
            MenuItem start = new MenuItem(m.get("menu.startGateway"));
            start.setId("menu-start-gateway");
            start.setOnAction(e -> actions.startGateway());
            MenuItem stop = new MenuItem(m.get("menu.stopGateway"));
            stop.setId("menu-stop-gateway");
            stop.setOnAction(e -> actions.stopGateway());
            file.getItems().addAll(1, List.of(start, stop));
        }
        MenuItem wall = new MenuItem(m.get("menu.wall"));
        wall.setId("menu-wall");
        wall.setAccelerator(new KeyCodeCombination(KeyCode.F11));
        wall.setOnAction(e -> actions.openWall());
        Menu language = new Menu(m.get("menu.language"));
        ToggleGroup group = new ToggleGroup();
        for (Locale l : org.atrium.console.view.settings.SettingsViewModel.LANGUAGES) {
            RadioMenuItem item = new RadioMenuItem(l.getDisplayLanguage(l));
            item.setToggleGroup(group);
            item.setSelected(l.equals(vms.settings().languageProperty().get()));
            item.setOnAction(e -> vms.settings().languageProperty().set(l));
            language.getItems().add(item);
        }
        Menu view = new Menu(m.get("menu.view"), null, wall, language);
        return new MenuBar(file, view);
    }

    /** Shows a screen and reloads its data from the gateway. */
    public void show(Screen s) {
        content.getChildren().setAll(views.get(s));
        if (nav.getSelectionModel().getSelectedItem() != s) {
            nav.getSelectionModel().select(s);
        }
        switch (s) {
            case TENANTS -> vms.tenants().refresh();
            case TOKENS -> vms.tokens().refresh();
            case BANS -> vms.bans().refresh();
            case ROUTES -> vms.routes().refresh();
            case USAGE -> vms.usage().refresh();
            case ALERTS -> vms.alerts().refresh();
            case AUDIT -> vms.audit().refresh();
            default -> { }
        }
    }

    public Parent root() {
        return root;
    }

    /** The wall screen over the same live feed: one page with every GPU, department, backend and alert. */
    public static WallView wall(ViewModels vms, Messages m, Formats f, Clock clock) {
        return new WallView(new WallViewModel(vms.hub(), clock), m, f, new ConnectionBar(vms.connection(), m, true), clock);
    }

    /** Every time shown in the gateway's quota zone (the console's own until the gateway has said). */
    static Formats formats(Messages m, ViewModels vms) {
        return new Formats(m, vms.clock()::getZone);
    }
}
