package org.atrium.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.atrium.console.FakeAdminClient;
import org.atrium.console.Frames;
import org.atrium.console.app.MainWindow;
import org.atrium.console.app.ViewModels;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.view.Async;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.wall.WallView;
import org.atrium.model.LiveFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The wall on the three screens IT rooms have (1366 × 768, 1920 × 1080, 3840 × 2160) with a small and
 * a large room: every GPU tile and the alert list lie on the screen, no text is cut to "…", and no
 * text is smaller than 1/60 of the screen height.
 */
@ExtendWith(ApplicationExtension.class)
class WallUiTest {
    static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    static final int[][] SCREENS = {{1366, 768}, {1920, 1080}, {3840, 2160}};

    ViewModels vms;
    Messages messages;

    @Start
    void start(Stage stage) {
        org.atrium.console.view.widgets.AppIcons.installOnEveryWindow();
        org.atrium.console.view.widgets.Theme.useLight();
        vms = ViewModels.create(FakeAdminClient.withSampleData(), new Async(Runnable::run, Platform::runLater),
                Clock.fixed(NOW, ZoneOffset.UTC), "http://127.0.0.1:8081", Locale.ENGLISH, l -> { });
    }

    private void room(int servers, int perServer, int seconds) {
        vms.hub().onState(ConnectionState.CONNECTED, null);
        for (int i = 0; i < seconds; i++) {
            vms.hub().onFrame(Frames.room(NOW.minusSeconds(seconds - 1 - i), i, servers, perServer));
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private record Shown(WallView wall, Stage stage) {
        Scene scene() {
            return stage.getScene();
        }
    }

    private Shown show(FxRobot robot, Locale locale, int w, int h) {
        Shown shown = open(robot, locale, w, h);
        // dismiss the critical takeover so the page itself is checked (the takeover has its own test)
        robot.interact(() -> shown.scene().lookup("#wall-takeover").getOnMouseClicked().handle(null));
        WaitForAsyncUtils.waitForFxEvents();
        return shown;
    }

    private Shown open(FxRobot robot, Locale locale, int w, int h) {
        Shown[] out = new Shown[1];
        robot.interact(() -> {
            messages = new Messages(locale);
            WallView wall = MainWindow.wall(vms, messages, new Formats(messages, ZoneId.of("Asia/Shanghai")),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            Stage s = new Stage();
            s.setScene(new Scene(wall.root(), w, h));
            s.show();
            out[0] = new Shown(wall, s);
        });
        WaitForAsyncUtils.waitForFxEvents();
        return out[0];
    }

    private static void close(FxRobot robot, Shown s) {
        robot.interact(() -> {
            s.wall().stop();
            s.stage().close();
        });
    }

    @Test
    void smallRoomFitsEveryScreen(FxRobot robot) {
        room(2, 3, 30);
        fitsOn(robot, 6, Locale.ENGLISH, SCREENS);
    }

    @Test
    void largeRoomFitsEveryScreenInBothLanguages(FxRobot robot) {
        room(4, 8, 30);
        fitsOn(robot, 32, Locale.ENGLISH, SCREENS);
        fitsOn(robot, 32, Locale.SIMPLIFIED_CHINESE, SCREENS);
    }

    @Test
    void sixtyFourGpusStillFitTheSmallestWall(FxRobot robot) {
        room(8, 8, 5);
        fitsOn(robot, 64, Locale.SIMPLIFIED_CHINESE, new int[][] {{1366, 768}, {1920, 1080}});
    }

    /** The wall on each screen size: everything fits whole (see assertFitsWhole); a screenshot of each. */
    private void fitsOn(FxRobot robot, int gpus, Locale locale, int[][] sizes) {
        for (int[] size : sizes) {
            Shown s = show(robot, locale, size[0], size[1]);
            assertFitsWhole(s, gpus);
            Screenshots.save(robot, s.scene(), "wall-" + gpus + "gpu-" + size[0] + "x" + size[1] + "-" + locale.getLanguage());
            close(robot, s);
        }
    }

    @Test
    void theFeedGoingDownDimsThePageUnderAFullWidthBanner(FxRobot robot) {
        room(2, 3, 30);
        Shown s = show(robot, Locale.ENGLISH, 1920, 1080);
        Node banner = s.scene().lookup("#wall-banner");
        assertThat(banner.isVisible()).isFalse();
        vms.hub().onState(ConnectionState.RETRYING, "connection refused");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(banner.isVisible()).isTrue();
        assertThat(banner.getLayoutBounds().getWidth()).isGreaterThan(s.scene().getWidth() * 0.9);
        // the last frame was at NOW (08:00:00 UTC), shown in the wall's zone
        assertThat(((javafx.scene.control.Label) banner).getText())
                .isEqualTo("No live data from the gateway — No data since 4:00:00\u202fPM (connection refused)");
        assertThat(s.scene().lookup(".wall-body").getPseudoClassStates())
                .contains(javafx.css.PseudoClass.getPseudoClass("stale"));
        Screenshots.save(robot, s.scene(), "wall-6gpu-gateway-down-en");
        close(robot, s);
    }

    @Test
    void alertingGpusComeFirstInTheirSeverityColour(FxRobot robot) {
        room(4, 8, 5);
        Shown s = show(robot, Locale.ENGLISH, 1920, 1080);
        List<? extends Node> tiles = s.wall().gpuTiles();
        assertThat(tiles.get(0).getId()).isEqualTo("wall-gpu-gpu-srv-d-7");   // critical (too hot)
        assertThat(tiles.get(0).getStyleClass()).contains("sev-critical");
        assertThat(tiles.get(1).getId()).isEqualTo("wall-gpu-gpu-srv-b-0");   // warning (memory)
        assertThat(tiles.get(1).getStyleClass()).contains("sev-warning");
        assertThat(tiles.get(2).getStyleClass()).doesNotContain("sev-critical", "sev-warning");
        close(robot, s);
    }

    @Test
    void aNewCriticalAlertTakesTheScreen(FxRobot robot) {
        room(2, 3, 5);
        Shown[] out = {open(robot, Locale.SIMPLIFIED_CHINESE, 1920, 1080)};
        Node takeover = out[0].scene().lookup("#wall-takeover");
        assertThat(takeover.isVisible()).isTrue();
        assertThat(texts(takeover)).anyMatch(t -> t.contains("GPU 温度过高：gpu-srv-b:2"));
        Screenshots.save(robot, out[0].scene(), "wall-critical-takeover-zh");
        robot.clickOn(takeover);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(takeover.isVisible()).isFalse();
        // the same alert on the next frames does not take the screen again
        room(2, 3, 2);
        assertThat(takeover.isVisible()).isFalse();
        close(robot, out[0]);
    }

    /** Every GPU tile and the alert list on screen, nothing cut, nothing too small. */
    private void assertFitsWhole(Shown s, int gpus) {
        Scene scene = s.scene();
        List<? extends Node> tiles = s.wall().gpuTiles();
        assertThat(tiles).hasSize(gpus);
        for (Node t : tiles) {
            assertOnScreen(scene, t, t.getId());
        }
        Node alerts = scene.lookup("#wall-alerts");
        assertOnScreen(scene, alerts, "alert list");
        assertThat(texts(alerts)).anyMatch(t -> t != null && (t.contains("gpu-srv-") || t.contains("°C")));
        assertOnScreen(scene, scene.lookup("#wall-departments"), "departments");
        assertOnScreen(scene, scene.lookup("#wall-backends"), "backends");
        // the down backend is named with host and port, whole
        assertThat(texts(scene.lookup("#wall-backends"))).anyMatch(t -> t.contains("10.20.0.15:9000"));
        double minText = scene.getHeight() / 60 - 0.05;
        for (Labeled l : labeleds(scene.getRoot())) {
            if (!l.isVisible() || l.getText() == null || l.getText().isEmpty() || !visibleChain(l)) {
                continue;
            }
            Text shown = (Text) l.lookup(".text");
            assertThat(shown.getText()).as("label cut: " + l.getText() + " at " + scene.getWidth() + "x" + scene.getHeight())
                    .isEqualTo(l.getText());
            assertThat(l.getFont().getSize()).as("font of " + l.getText()).isGreaterThanOrEqualTo(minText);
            assertOnScreen(scene, l, l.getText());
        }
    }

    private static boolean visibleChain(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private static void assertOnScreen(Scene scene, Node n, String what) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        assertThat(b.getMinX()).as(what + " left").isGreaterThanOrEqualTo(-0.5);
        assertThat(b.getMinY()).as(what + " top").isGreaterThanOrEqualTo(-0.5);
        assertThat(b.getMaxX()).as(what + " right").isLessThanOrEqualTo(scene.getWidth() + 0.5);
        assertThat(b.getMaxY()).as(what + " bottom").isLessThanOrEqualTo(scene.getHeight() + 0.5);
    }

    static List<Labeled> labeleds(Parent p) {
        return UiText.labeleds(p);
    }

    static List<String> texts(Node root) {
        return UiText.all(root);
    }
}
