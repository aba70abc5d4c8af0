package org.atrium.console.app;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.atrium.console.client.AdminClient;
import org.atrium.console.client.GatewayTarget;
import org.atrium.console.client.HttpAdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.alerts.AlertsView;
import org.atrium.console.view.connection.ConnectDialog;
import org.atrium.console.view.wall.WallView;
import org.atrium.console.view.widgets.AppIcons;
import org.atrium.console.view.widgets.Styles;

/** Wires the console by hand: client, executors, view models, windows. The one place objects are made. */
public final class ConsoleApp {
    private static final Logger LOG = Logger.getLogger(ConsoleApp.class.getName());

    private final LaunchOptions options;
    private final Consumer<Locale> storeLanguage;
    private final Clock clock = Clock.systemDefaultZone();
    private final ExecutorService io = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "atrium-io");
        t.setDaemon(true);
        return t;
    });
    private HttpAdminClient client;
    private ViewModels vms;
    private Messages messages;
    private Stage stage;
    private Stage wallStage;
    private WallView wallView;
    private AdminClient.LiveSubscription live;

    public ConsoleApp(LaunchOptions options, Consumer<Locale> storeLanguage) {
        this.options = options;
        this.storeLanguage = storeLanguage;
    }

    /** Runs on the FX thread: shows the window at once, connects in the background. */
    public void start(Stage primary) {
        this.stage = primary;
        AppIcons.installOnEveryWindow();
        org.atrium.console.view.widgets.Theme.useLight();
        AppIcons.apply(primary);
        GatewayTarget target = GatewayTarget.parse(options.gateway(), null);
        client = new HttpAdminClient(target);
        Async async = new Async(io, Platform::runLater);
        vms = ViewModels.create(client, async, clock, target.baseUri().toString(), options.language(), l -> {
            storeLanguage.accept(l);
            Platform.runLater(this::rebuild);
        });
        messages = new Messages(vms.settings().languageProperty().get());
        // date pickers and other JavaFX-formatted dates follow the console's language, not the OS
        Locale.setDefault(Locale.Category.FORMAT, messages.locale());
        vms.alerts().onNewAlert(a -> AlertsView.notify(wallStage != null && wallStage.isShowing() ? wallStage : stage, messages, a));
        stage.setOnHidden(e -> shutdown());
        // the live hub notices a silent feed (connected but no frames) only when asked
        javafx.animation.Timeline staleCheck = new javafx.animation.Timeline(
                new javafx.animation.KeyFrame(javafx.util.Duration.seconds(1), e -> vms.hub().tick()));
        staleCheck.setCycleCount(javafx.animation.Animation.INDEFINITE);
        staleCheck.play();
        if (options.wall()) {
            showWall(stage);
        } else {
            stage.setScene(new Scene(mainWindow().root(), 1360, 860));
            stage.setTitle(messages.get("app.title"));
            stage.show();
        }
        io.execute(() -> connect(target));
    }

    private MainWindow mainWindow() {
        return new MainWindow(vms, messages, MainWindow.formats(messages, vms), new MainWindow.Actions() {
            @Override public void openWall() { showWall(null); }
            @Override public void connectTo() { connectDialog(); }
            @Override public void quit() { stage.close(); }
            @Override public boolean managesGateway() {
                return GatewayLocator.managesLocalGateway(client.target().isLocal(), GatewayLocator.INSTALLED_SERVICE);
            }
            @Override public void startGateway() { io.execute(() -> startLocal(client.target())); }
            @Override public void stopGateway() { io.execute(ConsoleApp.this::stopLocal); }
        }, options.adminTokenFile() == null ? null : options.adminTokenFile().toString());
    }

    private void rebuild() {
        messages = new Messages(vms.settings().languageProperty().get());
        Locale.setDefault(Locale.Category.FORMAT, messages.locale());
        if (!options.wall()) {
            stage.getScene().setRoot(mainWindow().root());
            stage.setTitle(messages.get("app.title"));
        }
        if (wallStage != null && wallStage.isShowing()) {
            showWall(wallStage);
        }
    }

    /** Finds or starts the gateway, reads the admin token, then starts the live feed. Off the FX thread. */
    private void connect(GatewayTarget target) {
        URI base = target.baseUri();
        var outcome = GatewayLocator.ensureRunning(base, target.isLocal(), !options.noAutostart(),
                GatewayLocator.consoleJarDir(), GatewayLocator.defaultDataDir(), Duration.ofSeconds(40),
                key -> Platform.runLater(() -> vms.connection().startupProperty().set(messages.get(key))));
        GatewayLocator.TokenRead read = GatewayLocator.tryReadToken(options.adminTokenFile());
        String token = read.token();
        String file = String.valueOf(options.adminTokenFile());
        String message = outcome.messageKey() == null ? null : messages.get(outcome.messageKey(), outcome.detail());
        if (read.denied()) {
            LOG.warning("cannot read the admin token file " + file + " (permission denied)");
            String denied = messages.get("startup.tokenDenied", file);
            message = message == null ? denied : message + "  " + denied;
        } else if (token == null && outcome.reachable()) {
            message = messages.get("startup.noToken", file);
        } else if (token == null) {
            LOG.info("no admin token at " + file + " yet; connecting without one");
        }
        String shown = message;
        Platform.runLater(() -> vms.connection().startupProperty().set(shown));
        client.retarget(new GatewayTarget(base, token));
        // Reconnects with backoff by itself: a gateway started later or restarted is picked up.
        live = client.subscribeLive(vms.hub());
    }

    /** Starts the bundled gateway when nothing answers (menu File → Start). Off the FX thread. */
    private void startLocal(GatewayTarget target) {
        var outcome = GatewayLocator.ensureRunning(target.baseUri(), true, true, GatewayLocator.consoleJarDir(),
                GatewayLocator.defaultDataDir(), Duration.ofSeconds(40),
                key -> Platform.runLater(() -> vms.connection().startupProperty().set(messages.get(key))));
        String text = outcome.messageKey() == null ? null : messages.get(outcome.messageKey(), outcome.detail());
        Platform.runLater(() -> vms.connection().startupProperty().set(text));
    }

    /** Stops the gateway this console started (menu File → Stop). Off the FX thread. */
    private void stopLocal() {
        var result = GatewayLocator.stopStarted(GatewayLocator.defaultDataDir(), Duration.ofSeconds(20));
        String text = messages.get("startup.stop." + result.name().toLowerCase(java.util.Locale.ROOT));
        Platform.runLater(() -> vms.connection().startupProperty().set(text));
    }

    private void connectDialog() {
        ConnectDialog.show(stage, messages, client.target().baseUri().toString(), (address, token) -> {
            GatewayTarget t = GatewayTarget.parse(address, token);
            vms.connection().addressProperty().set(t.baseUri().toString());
            vms.connection().startupProperty().set(null);
            client.retarget(t);
        });
    }

    private void showWall(Stage reuse) {
        if (wallView != null) {
            wallView.stop();
        }
        wallView = MainWindow.wall(vms, messages, MainWindow.formats(messages, vms), clock);
        Stage s = reuse != null ? reuse : new Stage();
        AppIcons.apply(s);
        wallStage = s;
        // Size to the screen as well as asking for full screen: kiosk PCs often run without a window
        // manager, where the full-screen request alone leaves the window at its own size.
        var bounds = javafx.stage.Screen.getPrimary().getBounds();
        Scene scene = new Scene(wallView.root(), bounds.getWidth(), bounds.getHeight());
        s.setX(bounds.getMinX());
        s.setY(bounds.getMinY());
        scene.getStylesheets().add(Styles.base());
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE && s != stage) {
                s.close();
            }
        });
        s.setScene(scene);
        s.setTitle(messages.get("app.wallTitle"));
        s.setFullScreenExitHint(s == stage ? "" : messages.get("wall.exitHint"));
        s.setFullScreen(true);
        s.setOnHidden(s == stage ? s.getOnHidden() : e -> wallView.stop());
        s.show();
    }

    private void shutdown() {
        if (live != null) {
            live.close();
        }
        client.close();
        io.shutdownNow();
        Platform.exit();
    }
}
