package org.atrium.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.atrium.console.app.MainWindow;
import org.atrium.console.app.MainWindow.Screen;
import org.atrium.console.app.ViewModels;
import org.atrium.console.client.AdminClient;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.client.GatewayTarget;
import org.atrium.console.client.HttpAdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.wall.WallView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real gateway, stopped under the console: within 5 s the dashboard's numbers and the wall dim and
 * say since when there is no data, and the wall shows its full-width banner. The gateway counts its
 * quotas in Asia/Shanghai while the console's clock is UTC: the console takes the gateway's zone.
 */
@ExtendWith(ApplicationExtension.class)
class GatewayDownUiTest {
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        org.atrium.console.view.widgets.AppIcons.installOnEveryWindow();
        org.atrium.console.view.widgets.Theme.useLight();
    }

    @Test
    void stoppingTheGatewayDimsTheDashboardAndRaisesTheWallBanner(FxRobot robot) throws Exception {
        RealGateway gw = RealGateway.start();
        ExecutorService io = Executors.newFixedThreadPool(2, r -> {
            Thread th = new Thread(r, "test-io");
            th.setDaemon(true);
            return th;
        });
        HttpAdminClient client = new HttpAdminClient(GatewayTarget.parse(gw.adminBase(), gw.adminToken()));
        AdminClient.LiveSubscription live = null;
        try {
            ViewModels vms = ViewModels.create(client, new Async(io, Platform::runLater), Clock.systemUTC(), gw.adminBase(),
                    Locale.ENGLISH, l -> { });
            Messages m = new Messages(Locale.ENGLISH);
            Formats f = new Formats(m, vms.clock()::getZone);
            MainWindow[] window = new MainWindow[1];
            WallView[] wall = new WallView[1];
            Stage[] wallStage = new Stage[1];
            robot.interact(() -> {
                window[0] = new MainWindow(vms, m, f, new MainWindow.Actions() {
                    @Override public void openWall() { }
                    @Override public void connectTo() { }
                    @Override public void quit() { }
                }, null);
                stage.setScene(new Scene(window[0].root(), 1360, 860));
                stage.show();
                window[0].show(Screen.DASHBOARD);
                wall[0] = MainWindow.wall(vms, m, f, Clock.systemUTC());
                wallStage[0] = new Stage();
                wallStage[0].setScene(new Scene(wall[0].root(), 1920, 1080));
                wallStage[0].show();
            });
            live = client.subscribeLive(vms.hub());
            await(() -> vms.hub().stateProperty().get() == ConnectionState.CONNECTED
                    && vms.hub().lastDataProperty().get() != null && !vms.hub().staleProperty().get(), Duration.ofSeconds(20));
            // one notion of time: the gateway's quota zone, not the console's UTC
            await(() -> ZoneId.of("Asia/Shanghai").equals(vms.clock().getZone()), Duration.ofSeconds(10));
            WaitForAsyncUtils.waitForFxEvents();
            Node banner = wallStage[0].getScene().lookup("#wall-banner");
            assertThat(banner.isVisible()).isFalse();
            assertThat(stale(stage.getScene().lookup(".tile"))).isFalse();
            // the wall clock shows the new zone from its next tick (it updates once a second)
            await(() -> ((Label) wallStage[0].getScene().lookup("#wall-clock")).getText().endsWith("Asia/Shanghai"),
                    Duration.ofSeconds(5)); // await runs the check on the FX thread

            Instant stoppedAt = Instant.now();
            gw.close();
            await(() -> vms.hub().staleProperty().get(), Duration.ofSeconds(5));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(Duration.between(stoppedAt, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(banner.isVisible()).isTrue();
            String since = f.time(vms.hub().lastDataProperty().get());
            assertThat(((Label) banner).getText()).contains("No live data").contains("No data since " + since);
            assertThat(stale(wallStage[0].getScene().lookup(".wall-body"))).isTrue();
            assertThat(robot.lookup(".tile").match(n -> n.getScene() == stage.getScene()).queryAll())
                    .hasSize(7).allMatch(n -> stale((Node) n));
            assertThat(robot.lookup(".stale-note").match(n -> n.getScene() == stage.getScene() && n.isVisible())
                    .queryAllAs(Label.class)).hasSize(7).allMatch(l -> l.getText().equals("No data since " + since));
            Screenshots.save(robot, wallStage[0].getScene(), "wall-gateway-down-en");
            Screenshots.save(robot, stage.getScene(), "dashboard-gateway-down-en");
            robot.interact(() -> {
                wall[0].stop();
                wallStage[0].close();
            });
        } finally {
            if (live != null) {
                live.close();
            }
            client.close();
            io.shutdownNow();
        }
    }

    private static boolean stale(Node n) {
        return n.getPseudoClassStates().contains(PseudoClass.getPseudoClass("stale"));
    }

    private static void await(BooleanSupplier cond, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            boolean[] ok = new boolean[1];
            WaitForAsyncUtils.asyncFx(() -> { ok[0] = cond.getAsBoolean(); }).get();
            if (ok[0]) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max);
            }
            Thread.sleep(50);
        }
    }
}
