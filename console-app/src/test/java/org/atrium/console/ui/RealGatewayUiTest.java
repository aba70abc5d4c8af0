package org.atrium.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.atrium.console.app.MainWindow;
import org.atrium.console.app.MainWindow.Screen;
import org.atrium.console.app.ViewModels;
import org.atrium.console.client.AdminClient;
import org.atrium.console.client.GatewayTarget;
import org.atrium.console.client.HttpAdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.live.LiveView;
import org.atrium.console.view.live.LiveViewModel.Metric;
import org.atrium.console.view.live.LiveViewModel.TenantHistory;
import org.atrium.model.Ban;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenIssued;
import org.controlsfx.control.CheckListView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console against a real gateway started by the test: every click goes through the console's
 * own HTTP client to the admin listener, and every result is checked on the gateway itself (its
 * admin API and its data listener), not on the console's view of it.
 */
@ExtendWith(ApplicationExtension.class)
class RealGatewayUiTest {
    static final String ROUTE = "qwen2.5-72b";
    static final String TENANT = "radiology";

    static RealGateway gw;
    /** A token made through the admin API for calls the tests make as a hospital app. */
    static String appToken;

    HttpAdminClient client;
    AdminClient.LiveSubscription live;
    ExecutorService io;
    ViewModels vms;
    MainWindow window;
    Messages messages;
    Stage stage;

    @BeforeAll
    static void startGateway() {
        gw = RealGateway.start();
        assertThat(gw.admin("PUT", "/admin/v1/tenants/" + TENANT,
                "{\"id\":\"" + TENANT + "\",\"name\":\"Radiology\",\"dailyRequestQuota\":5000}").statusCode()).isEqualTo(200);
        // Stored (editable) route; its second backend is dead until the route test fixes it.
        assertThat(gw.admin("POST", "/admin/v1/routes", """
                {"id":"%s","aliases":["qwen"],"backends":[{"url":"%s","weight":1,"maxConcurrency":8},
                 {"url":"http://127.0.0.1:9","weight":1,"maxConcurrency":8}],"readTimeoutSeconds":300,
                 "fallback":"qwen2.5-7b"}""".formatted(ROUTE, gw.backendA())).statusCode()).isEqualTo(201);
        HttpResponse<String> t = gw.admin("POST", "/admin/v1/tokens", "{\"tenant\":\"" + TENANT
                + "\",\"user\":\"pacs-bridge\",\"allowedTasks\":[\"*\"],\"role\":\"user\",\"ttlSeconds\":3600}");
        assertThat(t.statusCode()).isEqualTo(201);
        appToken = read(t.body(), TokenIssued.class).token();
    }

    @AfterAll
    static void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        org.atrium.console.view.widgets.AppIcons.installOnEveryWindow();
        org.atrium.console.view.widgets.Theme.useLight();
        io = Executors.newFixedThreadPool(2, r -> {
            Thread th = new Thread(r, "test-io");
            th.setDaemon(true);
            return th;
        });
        client = new HttpAdminClient(GatewayTarget.parse(gw.adminBase(), gw.adminToken()));
        vms = ViewModels.create(client, new Async(io, Platform::runLater), Clock.systemUTC(), gw.adminBase(),
                Locale.ENGLISH, l -> { });
        messages = new Messages(Locale.ENGLISH);
        window = new MainWindow(vms, messages, new Formats(messages, ZoneId.of("Europe/Berlin")), new MainWindow.Actions() {
            @Override public void openWall() { }
            @Override public void connectTo() { }
            @Override public void quit() { }
        }, null);
        stage.setScene(new Scene(window.root(), 1360, 860));
        stage.show();
        live = client.subscribeLive(vms.hub());
    }

    @AfterEach
    void stop() {
        live.close();
        client.close();
        io.shutdownNow();
    }

    @Test
    void issuesATokenThatTheGatewayAccepts(FxRobot robot) {
        robot.interact(() -> window.show(Screen.TOKENS));
        await(robot, () -> vms.tokens().taskIds().contains(ROUTE) && vms.tokens().tenantIds().contains(TENANT));
        robot.clickOn("#token-issue");
        robot.interact(() -> {
            ComboBox<String> tenant = robot.lookup("#token-tenant").queryComboBox();
            tenant.setValue(TENANT);
            tenant.getEditor().setText(TENANT);
            robot.lookup("#token-user").queryAs(TextField.class).setText("ris-reporting");
            robot.lookup("#token-tasks").<CheckListView<String>>query().getCheckModel().check(ROUTE);
        });
        Screenshots.save(robot, robot.lookup("#dialog-ok").query().getScene(), "real-tokens-issue-dialog");
        robot.clickOn("#dialog-ok");
        await(robot, () -> robot.lookup("#issued-token").tryQuery().isPresent());

        String token = robot.lookup("#issued-token").queryAs(TextArea.class).getText();
        assertThat(token).startsWith("eyJ");
        Screenshots.save(robot, robot.lookup("#issued-token").query().getScene(), "real-tokens-issued-once");
        robot.clickOn(messages.get("tokens.done"));
        await(robot, () -> vms.tokens().lastIssuedProperty().get() == null);

        // The token works on the data listener, for exactly the task it was given.
        HttpResponse<String> models = gw.data("GET", "/v1/models", token, null, null);
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("\"" + ROUTE + "\"").doesNotContain("\"qwen2.5-7b\"");
        assertThat(gw.data("GET", "/v1/models", token.substring(0, token.length() - 2) + "xx", null, null).statusCode())
                .isEqualTo(401);
        // Listed by the gateway (never the token itself), and in the console's table.
        assertThat(gw.admin("GET", "/admin/v1/tokens", null).body()).contains("ris-reporting").doesNotContain(token);
        await(robot, () -> robot.lookup("#tokens-table").queryAs(TableView.class).getItems().size() >= 2);
        Screenshots.save(robot, stage.getScene(), "real-tokens");
    }

    @Test
    void bansAnIpOnTheGateway(FxRobot robot) {
        String banned = "10.66.1.20";
        robot.interact(() -> window.show(Screen.BANS));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#ban-add");
        robot.clickOn("#ban-target").write(banned);
        robot.interact(() -> robot.lookup("#ban-reason").queryAs(TextField.class).setText("port scan"));
        robot.clickOn("#ban-preset-86400");
        Screenshots.save(robot, robot.lookup("#dialog-ok").query().getScene(), "real-bans-add-dialog");
        robot.clickOn("#dialog-ok");
        await(robot, () -> robot.lookup("#dialog-ok").tryQuery().isEmpty()); // closes on success only

        List<Ban> onGateway = read(gw.admin("GET", "/admin/v1/bans?type=ip", null).body(), new TypeReference<>() { });
        assertThat(onGateway).anySatisfy(b -> {
            assertThat(b.target()).isEqualTo(banned);
            assertThat(b.reason()).isEqualTo("port scan");
            assertThat(java.time.Duration.between(Instant.now(), b.expiresAt()).toHours()).isBetween(23L, 24L);
        });
        // The data listener refuses the banned address (through the trusted loopback proxy), not its neighbour.
        assertThat(gw.data("GET", "/v1/models", appToken, null, banned).statusCode()).isEqualTo(403);
        assertThat(gw.data("GET", "/v1/models", appToken, null, "10.66.1.21").statusCode()).isEqualTo(200);
        await(robot, () -> vms.bans().bans().stream().anyMatch(b -> b.target().equals(banned)));
        Screenshots.save(robot, stage.getScene(), "real-bans");
    }

    @Test
    void disablingADepartmentChangesOnlyEnabledOnTheGateway(FxRobot robot) {
        assertThat(gw.admin("PUT", "/admin/v1/tenants/pharmacy",
                "{\"id\":\"pharmacy\",\"name\":\"Pharmacy\",\"weight\":3,\"dailyTokenQuota\":70000}").statusCode())
                .isEqualTo(200);
        robot.interact(() -> vms.tenants().refresh());
        await(robot, () -> vms.tenants().rows().stream().anyMatch(r -> r.spec().id().equals("pharmacy")));
        TenantSpec listed = fx(robot, () -> vms.tenants().rows().stream().filter(r -> r.spec().id().equals("pharmacy"))
                .findFirst().orElseThrow().spec());
        robot.interact(() -> vms.tenants().setEnabled(listed, false));
        await(robot, () -> !read(gw.admin("GET", "/admin/v1/tenants/pharmacy", null).body(), TenantSpec.class).enabled());
        TenantSpec saved = read(gw.admin("GET", "/admin/v1/tenants/pharmacy", null).body(), TenantSpec.class);
        assertThat(saved.name()).isEqualTo("Pharmacy");
        assertThat(saved.weight()).isEqualTo(3);
        assertThat(saved.dailyTokenQuota()).isEqualTo(70000L);
    }

    @Test
    void editsARouteOnTheGateway(FxRobot robot) {
        robot.interact(() -> window.show(Screen.ROUTES));
        await(robot, () -> vms.routes().routes().stream().anyMatch(r -> r.id().equals(ROUTE)));
        TableView<RouteSpec> table = robot.lookup("#routes-table").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(r -> r.id().equals(ROUTE)).findFirst().orElseThrow()));
        robot.clickOn("#route-edit");
        robot.interact(() -> {
            robot.lookup("#backend-weight-0").queryAs(TextField.class).setText("5");
            robot.lookup("#backend-url-1").queryAs(TextField.class).setText(gw.backendB());
            robot.lookup("#backend-capacity-1").queryAs(TextField.class).setText("24");
            robot.lookup("#route-read-timeout").queryAs(TextField.class).setText("600");
        });
        Screenshots.save(robot, robot.lookup("#dialog-ok").query().getScene(), "real-routes-edit-dialog");
        robot.clickOn("#dialog-ok");
        await(robot, () -> robot.lookup("#dialog-ok").tryQuery().isEmpty());

        RouteSpec saved = read(gw.admin("GET", "/admin/v1/routes/" + ROUTE, null).body(), RouteSpec.class);
        assertThat(saved.backends()).extracting(b -> b.url(), b -> b.weight(), b -> b.maxConcurrency())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(gw.backendA(), 5, 8),
                        org.assertj.core.groups.Tuple.tuple(gw.backendB(), 1, 24));
        assertThat(saved.readTimeoutSeconds()).isEqualTo(600);
        assertThat(saved.fallback()).isEqualTo("qwen2.5-7b");
        assertThat(saved.aliases()).containsExactly("qwen");
        assertThat(saved.source()).isEqualTo("store");

        // "Test connection" now probes both live backends through the gateway (once the reload after saving is done).
        await(robot, () -> !vms.routes().busyProperty().get() && vms.routes().routes().stream()
                .anyMatch(r -> r.id().equals(ROUTE) && r.backends().get(1).url().equals(gw.backendB())));
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(r -> r.id().equals(ROUTE)).findFirst().orElseThrow()));
        robot.clickOn("#route-test");
        await(robot, () -> vms.routes().lastTestProperty().get() != null);
        assertThat(vms.routes().lastTestProperty().get().ok()).isTrue();
        Screenshots.save(robot, stage.getScene(), "real-routes");
    }

    @Test
    void chartsReceiveFramesFromTheLiveFeed(FxRobot robot) throws Exception {
        // A little traffic for the department, so its lines are not flat.
        Thread traffic = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 12 && !Thread.currentThread().isInterrupted(); i++) {
                gw.data("POST", "/v1/chat/completions", appToken,
                        "{\"model\":\"qwen2.5-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        robot.interact(() -> window.show(Screen.LIVE));
        LiveView[] view = new LiveView[1];
        robot.interact(() -> view[0] = new LiveView(vms.live(), messages, false));
        await(robot, () -> tenant(TENANT) != null && view[0].charts().get(0).points() > 0);
        int before = fx(robot, () -> tenant(TENANT).series(Metric.REQUESTS).size());
        long start = System.nanoTime();
        // New frames arrive about once a second after the history sent on connect.
        await(robot, () -> tenant(TENANT).series(Metric.REQUESTS).size() >= before + 3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
        traffic.join(10_000);
        await(robot, () -> tenant(TENANT).series(Metric.REQUESTS).maxY() > 0);
        assertThat(vms.connection().stateProperty().get()).isEqualTo(org.atrium.console.client.ConnectionState.CONNECTED);
        assertThat(fx(robot, () -> view[0].charts())).hasSize(4)
                .allSatisfy(c -> assertThat(c.points()).isGreaterThanOrEqualTo(before + 3));
        Screenshots.save(robot, stage.getScene(), "real-live");
        robot.interact(() -> window.show(Screen.DASHBOARD));
        await(robot, () -> vms.dashboard().requestsSeries().size() > 3);
        Screenshots.save(robot, stage.getScene(), "real-dashboard");
    }

    private TenantHistory tenant(String id) {
        return vms.live().tenants().stream().filter(t -> t.tenant().equals(id)).findFirst().orElse(null);
    }

    /** Polls a condition on the FX thread (view-model state lives there) until it holds, up to 15 s. */
    private void await(FxRobot robot, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(robot, condition::getAsBoolean));
        } catch (java.util.concurrent.TimeoutException e) {
            Screenshots.save(robot, stage.getScene(), "real-timeout");
            throw new AssertionError("condition not met within 15 s; problems shown: tokens=" + vms.tokens().problemProperty().get()
                    + " bans=" + vms.bans().problemProperty().get() + " routes=" + vms.routes().problemProperty().get(), e);
        }
    }

    private static <T> T fx(FxRobot robot, java.util.concurrent.Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + json, e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + json, e);
        }
    }
}
