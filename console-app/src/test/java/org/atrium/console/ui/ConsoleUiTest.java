package org.atrium.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.atrium.console.FakeAdminClient;
import org.atrium.console.Frames;
import org.atrium.console.app.MainWindow;
import org.atrium.console.app.MainWindow.Screen;
import org.atrium.console.app.ViewModels;
import org.atrium.console.view.Async;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.live.LiveView;
import org.atrium.console.view.gpus.GpusView;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.LiveFrame;
import org.atrium.model.RouteSpec;
import org.controlsfx.control.CheckListView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console's wiring through its real windows against an in-process fake admin API (the gateway's
 * admin API is built in parallel; tests against the real gateway come with it). Headless under
 * Monocle by default; {@code -Pwindow} under Xvfb uses a real window.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleUiTest {
    static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    FakeAdminClient client;
    ViewModels vms;
    MainWindow window;
    Stage stage;
    Messages messages;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        org.atrium.console.view.widgets.AppIcons.installOnEveryWindow();
        org.atrium.console.view.widgets.Theme.useLight();
        client = FakeAdminClient.withSampleData();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        // The fake answers at once, so I/O runs inline; results still arrive through the FX queue.
        vms = ViewModels.create(client, new Async(Runnable::run, Platform::runLater), clock, "http://127.0.0.1:8081",
                Locale.ENGLISH, l -> { });
        build(Locale.ENGLISH);
        stage.setScene(new Scene(window.root(), 1360, 860));
        stage.show();
    }

    private void build(Locale locale) {
        messages = new Messages(locale);
        window = new MainWindow(vms, messages, new Formats(messages, ZoneId.of("Asia/Shanghai")), new MainWindow.Actions() {
            @Override public void openWall() { }
            @Override public void connectTo() { }
            @Override public void quit() { }
        }, "/var/lib/atrium/admin.token");
    }

    private void feed(int n) {
        vms.hub().onState(org.atrium.console.client.ConnectionState.CONNECTED, null);
        for (LiveFrame f : Frames.history(NOW, n)) {
            vms.hub().onFrame(f);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Scene dialogScene(FxRobot robot) {
        return robot.lookup("#dialog-ok").query().getScene();
    }

    @Test
    void issuesATokenAndShowsItOnceWithACopyButton(FxRobot robot) {
        robot.interact(() -> window.show(Screen.TOKENS));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#token-issue");
        robot.interact(() -> robot.lookup("#token-user").queryAs(TextField.class).setText("ris-reporting"));
        robot.interact(() -> robot.lookup("#token-tasks").<CheckListView<String>>query().getCheckModel().check("qwen2.5-72b"));
        Screenshots.save(robot, dialogScene(robot), "tokens-issue-dialog");
        // every stage carries the Atrium icon in all sizes: the main window and the dialog made inside JavaFX
        assertThat(stage.getIcons()).hasSize(org.atrium.console.view.widgets.AppIcons.SIZES.size());
        assertThat(((Stage) dialogScene(robot).getWindow()).getIcons()).extracting(i -> (int) i.getWidth())
                .containsExactlyElementsOf(org.atrium.console.view.widgets.AppIcons.SIZES);
        robot.clickOn("#dialog-ok");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(client.calls).anyMatch(c -> c.startsWith("issueToken emergency/ris-reporting [qwen2.5-72b]"));
        TextArea token = robot.lookup("#issued-token").queryAs(TextArea.class);
        assertThat(token.getText()).startsWith("eyJ");
        Screenshots.save(robot, token.getScene(), "tokens-issued-once");
        robot.clickOn("#token-copy");
        String[] clip = new String[1];
        robot.interact(() -> clip[0] = Clipboard.getSystemClipboard().getString());
        assertThat(clip[0]).isEqualTo(token.getText());
        robot.clickOn(messages.get("tokens.done"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vms.tokens().lastIssuedProperty().get()).isNull();
        TableView<?> table = robot.lookup("#tokens-table").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(3);
    }

    @Test
    void anAuditorGetsAReadOnlyConsoleNamedInTheStatusBar(FxRobot robot) {
        client.actor = "ines";
        client.role = "auditor";
        robot.interact(() -> vms.connection().refreshStatus());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#sign-in").query().isVisible()).isTrue();
        assertThat(UiText.all(stage.getScene().getRoot())).anyMatch(t -> t != null && t.contains("signed in as ines (Auditor (read-only))"));
        for (Screen s : new Screen[] {Screen.TENANTS, Screen.TOKENS, Screen.BANS, Screen.ROUTES, Screen.ALERTS}) {
            robot.interact(() -> window.show(s));
            WaitForAsyncUtils.waitForFxEvents();
            for (String id : new String[] {"#tenant-add", "#token-issue", "#ban-add", "#route-add", "#alert-ack"}) {
                robot.lookup(id).tryQuery().filter(Node::isVisible).ifPresent(b -> assertThat(b.isDisabled()).as(id).isTrue());
            }
        }
        Screenshots.save(robot, stage.getScene(), "auditor-read-only");
        // back to an admin: the buttons come back
        client.role = "admin";
        robot.interact(() -> vms.connection().refreshStatus());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#alert-ack").query().isDisabled()).isTrue(); // nothing selected yet
        robot.interact(() -> window.show(Screen.BANS));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#ban-add").query().isDisabled()).isFalse();
    }

    @Test
    void topTalkersSayWhoIsAlreadyBanned(FxRobot robot) {
        robot.interact(() -> window.show(Screen.BANS));
        WaitForAsyncUtils.waitForFxEvents();
        TableView<org.atrium.model.TopTalker> talkers = robot.lookup("#talkers-table").queryAs(TableView.class);
        assertThat(talkers.getItems()).extracting(org.atrium.model.TopTalker::key).contains("10.31.7.44", "10.12.0.8");
        var banned = talkers.getItems().stream().filter(t -> t.key().equals("10.31.7.44")).findFirst().orElseThrow();
        var free = talkers.getItems().stream().filter(t -> t.key().equals("10.12.0.8")).findFirst().orElseThrow();
        assertThat(vms.bans().banOf(banned)).isNotNull();
        assertThat(vms.bans().banOf(free)).isNull();
        var statusColumn = talkers.getColumns().get(talkers.getColumns().size() - 1);
        assertThat(String.valueOf(statusColumn.getCellData(banned))).startsWith("banned until");
        assertThat(String.valueOf(statusColumn.getCellData(free))).isEmpty();
        // quick ban is offered only for the one not banned yet
        robot.interact(() -> talkers.getSelectionModel().select(banned));
        assertThat(robot.lookup("#ban-quick").query().isDisabled()).isTrue();
        robot.interact(() -> talkers.getSelectionModel().select(free));
        assertThat(robot.lookup("#ban-quick").query().isDisabled()).isFalse();
        Screenshots.save(robot, stage.getScene(), "bans-top-talkers");
    }

    @Test
    void bansAnIpForADayFromThePresets(FxRobot robot) {
        robot.interact(() -> window.show(Screen.BANS));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#ban-add");
        robot.clickOn("#ban-target").write("10.66.1.20"); // typed once through the robot, the rest set directly
        robot.interact(() -> robot.lookup("#ban-reason").queryAs(TextField.class).setText("port scan"));
        robot.clickOn("#ban-preset-86400");
        Screenshots.save(robot, dialogScene(robot), "bans-add-dialog");
        robot.clickOn("#dialog-ok");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(client.calls).contains("addBan ip 10.66.1.20 86400");
        assertThat(client.bans).anyMatch(b -> b.type() == BanType.IP && b.target().equals("10.66.1.20"));
        TableView<Ban> table = robot.lookup("#bans-table").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(Ban::target).contains("10.66.1.20");
        assertThat(robot.lookup("#dialog-ok").tryQuery()).isEmpty(); // closed after success
    }

    @Test
    void aRejectedBanStaysOpenAndSaysWhyWithTheCode(FxRobot robot) {
        robot.interact(() -> window.show(Screen.BANS));
        WaitForAsyncUtils.waitForFxEvents();
        client.failNext = new org.atrium.console.client.AdminApiException(400, "VALIDATION_FAILED",
                "target is not an IP address or CIDR block", "target", null);
        robot.clickOn("#ban-add");
        robot.interact(() -> robot.lookup("#ban-target").queryAs(TextField.class).setText("10.66.1"));
        robot.clickOn("#dialog-ok");
        WaitForAsyncUtils.waitForFxEvents();
        Label problem = robot.lookup("#problem-text").match(n -> !((Label) n).getText().isEmpty()).queryAs(Label.class);
        assertThat(problem.getText()).contains("target is not an IP").endsWith("(VALIDATION_FAILED)");
        // the dialog grew: the error is shown whole and the buttons are still inside the window
        assertThat(((javafx.scene.text.Text) problem.lookup(".text")).getText()).isEqualTo(problem.getText());
        Scene dialog = dialogScene(robot);
        Node ok = robot.lookup("#dialog-ok").query();
        assertThat(ok.localToScene(ok.getLayoutBounds()).getMaxY()).isLessThanOrEqualTo(dialog.getHeight());
        Screenshots.save(robot, dialogScene(robot), "bans-add-error");
    }

    @Test
    void editsARoutesBackendsAndTimeoutsAndTestsIt(FxRobot robot) {
        robot.interact(() -> window.show(Screen.ROUTES));
        feed(5);
        TableView<RouteSpec> table = robot.lookup("#routes-table").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(r -> r.id().equals("qwen2.5-72b")).findFirst().orElseThrow()));
        robot.clickOn("#route-test");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#route-test-result").query().isVisible()).isTrue();
        // one of two backends refused: said per backend, and the route is not "all fine"
        assertThat(UiText.all(robot.lookup("#route-test-result").query())).contains("Route qwen2.5-72b: only 1 of 2 backends answer")
                .anyMatch(t -> t.startsWith("✘") && t.contains("connection refused"));
        Screenshots.save(robot, stage.getScene(), "routes");
        // a route from the configuration file: no edit dialog that the gateway would refuse, but where to edit it
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(r -> r.id().equals("ocr")).findFirst().orElseThrow()));
        assertThat(robot.lookup("#route-edit").query().isDisabled()).isTrue();
        assertThat(robot.lookup("#route-file-note").queryAs(Label.class).getText()).contains("atrium.yaml").contains("read-only");
        assertThat(robot.lookup("#route-file-note").query().isVisible()).isTrue();
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(r -> r.id().equals("qwen2.5-72b")).findFirst().orElseThrow()));

        robot.clickOn("#route-edit");
        TextField weight = robot.lookup("#backend-weight-0").queryAs(TextField.class);
        robot.interact(() -> weight.setText("5"));
        robot.interact(() -> robot.lookup("#backend-capacity-1").queryAs(TextField.class).setText("24"));
        robot.interact(() -> robot.lookup("#route-read-timeout").queryAs(TextField.class).setText("600"));
        Screenshots.save(robot, dialogScene(robot), "routes-edit-dialog");
        robot.clickOn("#dialog-ok");
        WaitForAsyncUtils.waitForFxEvents();

        RouteSpec saved = client.routes.get("qwen2.5-72b");
        assertThat(saved.backends().get(0).weight()).isEqualTo(5);
        assertThat(saved.backends().get(1).maxConcurrency()).isEqualTo(24);
        assertThat(saved.readTimeoutSeconds()).isEqualTo(600);
        assertThat(saved.fallback()).isEqualTo("qwen2.5-7b");
        assertThat(saved.aliases()).containsExactly("qwen");
    }

    @Test
    void chartsFillFromLiveFrames(FxRobot robot) {
        robot.interact(() -> window.show(Screen.LIVE));
        feed(180);
        LiveView[] live = new LiveView[1];
        GpusView[] gpus = new GpusView[1];
        robot.interact(() -> {
            live[0] = new LiveView(vms.live(), messages, false);
            gpus[0] = new GpusView(vms.gpus(), messages, new Formats(messages, ZoneId.of("UTC")));
        });
        assertThat(live[0].charts()).hasSize(4).allSatisfy(c -> assertThat(c.points()).isEqualTo(180));
        // every GPU in the table; the chosen one's load, °C and W each on its own chart
        assertThat(gpus[0].table().getItems()).hasSize(8);
        assertThat(gpus[0].table().getItems().get(0).severity()).isEqualTo("warning"); // gpu-a:3 alerting: first
        assertThat(gpus[0].charts()).hasSize(3).allSatisfy(c -> assertThat(c.points()).isEqualTo(180));
        // a replayed frame adds nothing; the next second adds one point
        feed(1);
        assertThat(live[0].charts().get(0).points()).isEqualTo(180);
        vms.hub().onFrame(Frames.at(NOW.plusSeconds(1), 180));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(live[0].charts().get(0).points()).isEqualTo(181);
        Screenshots.save(robot, stage.getScene(), "live");
        robot.interact(() -> window.show(Screen.GPUS));
        Screenshots.save(robot, stage.getScene(), "gpus");
        robot.interact(() -> window.show(Screen.DASHBOARD));
        WaitForAsyncUtils.waitForFxEvents();
        Screenshots.save(robot, stage.getScene(), "dashboard");
        assertThat(robot.lookup(".tile-value").queryAllAs(Label.class)).extracting(Label::getText).contains("8", "3 / 4");
    }

    @Test
    void dashboardTilesFlowToTheWindowWidthAndAreNeverCut(FxRobot robot) {
        feed(30);
        robot.interact(() -> window.show(Screen.DASHBOARD));
        java.util.Map<Integer, Long> columnsAt = new java.util.TreeMap<>();
        for (int width : new int[] {900, 1360, 1920}) {
            robot.interact(() -> {
                stage.setWidth(width);
                stage.getScene().getRoot().applyCss();
                stage.getScene().getRoot().layout();
            });
            WaitForAsyncUtils.waitForFxEvents();
            Scene scene = stage.getScene();
            var tiles = robot.lookup(".tile").match(n -> n.getScene() == scene).queryAll();
            assertThat(tiles).hasSize(7);
            for (Node t : tiles) {
                assertThat(t.localToScene(t.getLayoutBounds()).getMaxX()).as("tile inside at " + width).isLessThanOrEqualTo(scene.getWidth() + 0.5);
            }
            for (javafx.scene.control.Labeled l : UiText.labeleds(scene.lookup("#dashboard-view"))) {
                if (l.isVisible() && l.getText() != null && !l.getText().isEmpty()) {
                    assertThat(((javafx.scene.text.Text) l.lookup(".text")).getText()).as("cut at " + width).isEqualTo(l.getText());
                }
            }
            columnsAt.put(width, tiles.stream().map(t -> Math.round(t.localToScene(t.getLayoutBounds()).getMinX())).distinct().count());
            Screenshots.save(robot, scene, "dashboard-" + width);
        }
        // more columns on a wider window: the tiles use the width instead of leaving it empty
        assertThat(columnsAt.get(900)).isLessThan(columnsAt.get(1920));
    }

    @Test
    void everyViewRendersInEnglishAndChinese(FxRobot robot) {
        feed(60);
        for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE}) {
            robot.interact(() -> {
                build(locale);
                stage.getScene().setRoot(window.root());
            });
            String suffix = locale.getLanguage();
            // every screen in English; the main ones again in Chinese to check CJK rendering
            for (Screen screen : locale == Locale.ENGLISH ? Screen.values()
                    : new Screen[] {Screen.DASHBOARD, Screen.GPUS, Screen.TENANTS, Screen.TOKENS, Screen.ROUTES}) {
                robot.interact(() -> window.show(screen));
                WaitForAsyncUtils.waitForFxEvents();
                Screenshots.save(robot, stage.getScene(), "view-" + screen.name().toLowerCase(Locale.ROOT) + "-" + suffix);
            }
        }
        robot.interact(() -> window.show(Screen.TENANTS));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#tenants-table").queryAs(TableView.class).getItems()).hasSize(4);
        assertThat(robot.lookup(".view-title").queryAs(Label.class).getText()).isEqualTo("科室");
        robot.clickOn("#tenant-add");
        robot.interact(() -> {
            robot.lookup("#tenant-id").queryAs(TextField.class).setText("心内科");
            robot.lookup("#tenant-weight").queryAs(TextField.class).setText("0");
        });
        robot.clickOn("#dialog-ok");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(client.calls).noneMatch(c -> c.startsWith("createTenant"));
        Screenshots.save(robot, dialogScene(robot), "tenants-dialog-validation-zh");
    }
}
