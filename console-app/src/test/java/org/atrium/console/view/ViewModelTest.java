package org.atrium.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atrium.console.FakeAdminClient;
import org.atrium.console.Frames;
import org.atrium.console.app.ViewModels;
import org.atrium.console.client.AdminApiException;
import org.atrium.model.AlertInfo;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.LiveFrame;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TopTalker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** View models against the fake client, on one thread, no JavaFX toolkit. */
class ViewModelTest {
    static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    FakeAdminClient client;
    ViewModels vms;

    @BeforeEach
    void setUp() {
        client = FakeAdminClient.withSampleData();
        vms = ViewModels.create(client, new Async(Runnable::run, Runnable::run), clock, "http://127.0.0.1:8081",
                Locale.ENGLISH, l -> { });
    }

    @Test
    void tenantsLoadWithTodaysUseAgainstQuota() {
        vms.tenants().refresh();
        assertThat(vms.tenants().rows()).extracting(r -> r.spec().id())
                .containsExactly("radiology", "emergency", "pathology", "research");
        var radiology = vms.tenants().rows().get(0);
        assertThat(radiology.requestsToday()).isPositive();
        assertThat(radiology.requestQuotaUsed()).isBetween(0.0, 1.0);
        assertThat(vms.tenants().rows().get(1).requestQuotaUsed()).isNaN(); // quota 0 = none
        assertThat(vms.tenants().routeIds()).contains("ocr", "qwen2.5-72b");
        assertThat(vms.tenants().busyProperty().get()).isFalse();
    }

    @Test
    void todayIsTheGatewaysQuotaDayNotTheConsoles() {
        // console on UTC at 20:00 on the 22nd; the gateway's quotas reset at midnight in Shanghai (the 23rd there)
        Clock evening = Clock.fixed(Instant.parse("2026-11-22T20:00:00Z"), ZoneOffset.UTC);
        client.quotaZone = "Asia/Shanghai";
        vms = ViewModels.create(client, new Async(Runnable::run, Runnable::run), evening, "http://127.0.0.1:8081",
                Locale.ENGLISH, l -> { });
        assertThat(vms.usage().toProperty().get()).hasToString("2026-11-22"); // before the gateway has answered
        vms.connection().refreshStatus();
        assertThat(vms.clock().getZone()).hasToString("Asia/Shanghai");
        assertThat(vms.usage().toProperty().get()).hasToString("2026-11-23");
        assertThat(vms.usage().fromProperty().get()).hasToString("2026-11-10");
        client.calls.clear();
        vms.tenants().refresh();
        assertThat(client.calls).contains("usage 2026-11-23..2026-11-23");
    }

    @Test
    void creatingAnExistingTenantShowsTheConflictWithItsCode() {
        boolean[] closed = {false};
        vms.tenants().save(TenantSpec.of("radiology"), true, () -> closed[0] = true);
        assertThat(closed[0]).isFalse();
        Problem p = vms.tenants().problemProperty().get();
        assertThat(p.code()).isEqualTo("CONFLICT");
        assertThat(new Messages(Locale.ENGLISH).describe(p)).contains("(CONFLICT)").contains("already exists");
    }

    @Test
    void disablingATenantPatchesOnlyEnabled() {
        vms.tenants().refresh();
        vms.tenants().setEnabled(client.tenants.get("pathology"), false);
        assertThat(client.tenants.get("pathology").enabled()).isFalse();
        assertThat(client.calls).contains("patchTenant pathology {enabled=false}").doesNotContain("putTenant pathology");
    }

    @Test
    void issuingATokenKeepsItOnlyUntilForgotten() {
        vms.tokens().refresh();
        assertThat(vms.tokens().taskIds()).containsExactly("ocr", "qwen2.5-72b", "qwen2.5-7b");
        vms.tokens().issue(new TokenIssueRequest("radiology", "ris", List.of("ocr"), "user", 86_400L, null), () -> { });
        assertThat(vms.tokens().lastIssuedProperty().get().token()).startsWith("eyJ");
        assertThat(vms.tokens().tokens()).extracting(t -> t.user()).contains("ris");
        vms.tokens().forgetIssued();
        assertThat(vms.tokens().lastIssuedProperty().get()).isNull();
    }

    @Test
    void revokingATokenMarksItRevoked() {
        vms.tokens().refresh();
        var t = vms.tokens().tokens().stream().filter(x -> x.jti().equals("jti-1")).findFirst().orElseThrow();
        vms.tokens().revoke(t);
        assertThat(client.tokens.get("jti-1").revoked()).isTrue();
    }

    @Test
    void bansShowTimeLeftAndQuickBanUsesOneHour() {
        vms.bans().refresh();
        Ban ip = vms.bans().bans().get(0);
        assertThat(vms.bans().remaining(ip)).isEqualTo(Duration.ofSeconds(3000));
        assertThat(vms.bans().remaining(vms.bans().bans().get(1))).isNull();
        assertThat(vms.bans().talkers()).extracting(TopTalker::key).startsWith("10.31.7.44");
        vms.bans().quickBan(new TopTalker("user", "pacs-gateway", "radiology", 400), "too many");
        assertThat(client.calls).contains("addBan user pacs-gateway 3600");
    }

    @Test
    void banUntilRemovedSendsNoDuration() {
        vms.bans().add(BanType.IP, " 10.0.0.0/8 ", "", Duration.ZERO, () -> { });
        assertThat(client.calls).contains("addBan ip 10.0.0.0/8 null");
        vms.bans().remove(vms.bans().bans().stream().filter(b -> b.target().equals("10.0.0.0/8")).findFirst().orElseThrow());
        assertThat(client.bans).noneMatch(b -> b.target().equals("10.0.0.0/8"));
    }

    @Test
    void invalidBanIsAProblemNotACrash() {
        vms.bans().add(BanType.IP, "  ", null, Duration.ZERO, () -> { });
        assertThat(vms.bans().problemProperty().get().code()).isEqualTo("VALIDATION_FAILED");
        assertThat(vms.bans().problemProperty().get().field()).isEqualTo("target");
    }

    @Test
    void routesCarryLiveHealthAndTestResults() {
        vms.routes().refresh();
        vms.hub().onFrame(Frames.at(NOW, 1));
        assertThat(vms.routes().health("qwen2.5-72b")).isEqualTo(new org.atrium.console.view.routes.RoutesViewModel.Health(2, 2, "closed"));
        assertThat(vms.routes().health("ocr").circuit()).isEqualTo("open");
        assertThat(vms.routes().health("unknown").total()).isZero();
        var load = vms.routes().load(client.routes.get("qwen2.5-72b"));
        assertThat(load).containsExactly(
                new org.atrium.console.view.routes.RoutesViewModel.BackendLoad(2, 71.0, 62.5),
                new org.atrium.console.view.routes.RoutesViewModel.BackendLoad(0, 54.0, 37.5));
        assertThat(vms.routes().load(client.routes.get("qwen2.5-7b")))
                .containsExactly(new org.atrium.console.view.routes.RoutesViewModel.BackendLoad(0, 20.0, null));
        vms.routes().test("qwen2.5-72b");
        assertThat(vms.routes().lastTestProperty().get().ok()).isTrue();
    }

    @Test
    void editingARouteKeepsFieldsTheDialogDoesNotShow() {
        RouteSpec base = client.routes.get("qwen2.5-72b");
        RouteSpec edited = org.atrium.console.view.routes.RouteForm.toSpec(base, "qwen2.5-72b", base.balancer(),
                List.of(new org.atrium.console.view.routes.RouteForm.BackendText("http://gpu-a:8000", "5", "40")),
                "5", "600", "30", "", "qwen2.5-7b");
        vms.routes().save(edited, false, () -> { });
        RouteSpec saved = client.routes.get("qwen2.5-72b");
        assertThat(saved.backends()).hasSize(1);
        assertThat(saved.backends().get(0).weight()).isEqualTo(5);
        assertThat(saved.readTimeoutSeconds()).isEqualTo(600);
        assertThat(saved.aliases()).containsExactly("qwen");
        assertThat(saved.healthPath()).isEqualTo("/health");
    }

    @Test
    void liveFramesFillBoundedSeries() {
        for (LiveFrame f : Frames.history(NOW, 700)) {
            vms.hub().onFrame(f);
        }
        assertThat(vms.dashboard().gpusProperty().get()).isEqualTo(8);
        assertThat(vms.dashboard().backendsUpProperty().get()).isEqualTo(3);
        assertThat(vms.dashboard().requestsSeries().size()).isEqualTo(DashboardCapacity.SPARK);
        assertThat(vms.gpus().gpus()).hasSize(8);
        assertThat(vms.gpus().gpus().get(0).node()).isEqualTo("gpu-a");
        // the alerting GPU (gpu-a:3, warning) comes first, then the others by server and index
        assertThat(vms.gpus().gpus().get(0).severity()).isEqualTo("warning");
        assertThat(vms.gpus().gpus().get(0).index()).isEqualTo(3);
        assertThat(vms.gpus().gpus().get(1).index()).isEqualTo(0);
        assertThat(vms.gpus().gpus().get(0).util().size()).isEqualTo(ViewModels.CHART_POINTS);
        assertThat(vms.live().tenants()).extracting(t -> t.tenant()).containsExactly("emergency", "pathology", "radiology");
    }

    interface DashboardCapacity {
        int SPARK = org.atrium.console.view.dashboard.DashboardViewModel.SPARK_POINTS;
    }

    @Test
    void alertsAnnounceOnlyNewOnesAfterTheHistoryBurst() {
        List<AlertInfo> announced = new ArrayList<>();
        vms.alerts().onNewAlert(announced::add);
        vms.hub().onFrame(Frames.at(NOW, 1)); // history on connect: no pop-up
        assertThat(announced).isEmpty();
        LiveFrame f = Frames.at(NOW.plusSeconds(1), 2);
        var fresh = new AlertInfo("a2", "backend_down", "critical", "ocr", "down", NOW, null, false);
        vms.hub().onFrame(new LiveFrame(f.at(), f.gpus(), f.tenants(), f.backends(), List.of(f.alerts().get(0), fresh)));
        assertThat(announced).extracting(AlertInfo::id).containsExactly("a2");
        assertThat(vms.alerts().active()).hasSize(2);
        vms.alerts().acknowledge(fresh);
        assertThat(client.calls).contains("ack a2");
    }

    @Test
    void auditIsSearchable() {
        vms.audit().refresh();
        assertThat(vms.audit().entries()).hasSize(4);
        assertThat(vms.audit().entries().get(0).seq()).isEqualTo(4);
        vms.audit().searchProperty().set("ZHANG");
        assertThat(vms.audit().entries()).extracting(e -> e.seq()).containsExactly(4L, 3L);
        vms.audit().searchProperty().set("");
        assertThat(vms.audit().entries()).hasSize(4);
    }

    @Test
    void usageRangeIsValidatedAndExportsCsv(@TempDir Path dir) throws Exception {
        vms.usage().refresh();
        assertThat(vms.usage().rows()).hasSize(14 * 3);
        assertThat(vms.usage().tokensByTenantAndDay()).containsKeys("emergency", "pathology", "radiology");
        Path out = dir.resolve("usage.csv");
        vms.usage().exportCsv(out);
        assertThat(Files.readString(out)).startsWith("day,tenant").contains("radiology");
        vms.usage().fromProperty().set(LocalDate.of(2026, 12, 1));
        vms.usage().refresh();
        assertThat(vms.usage().problemProperty().get().code()).isEqualTo(AdminApiException.INVALID_INPUT);
    }

    @Test
    void gatewayErrorsAreShownInPlainWordsWithTheirCode() {
        client.failNext = new AdminApiException(403, "FORBIDDEN", "auditor tokens cannot write", null, null);
        vms.tenants().save(TenantSpec.of("cardiology"), true, () -> { });
        String text = new Messages(Locale.SIMPLIFIED_CHINESE).describe(vms.tenants().problemProperty().get());
        assertThat(text).contains("无权修改").endsWith("(FORBIDDEN)");
    }

    @Test
    void languageChoiceIsStored() {
        List<Locale> stored = new ArrayList<>();
        var s = new org.atrium.console.view.settings.SettingsViewModel(Locale.forLanguageTag("zh-TW"), stored::add);
        assertThat(s.languageProperty().get()).isEqualTo(Locale.SIMPLIFIED_CHINESE);
        s.languageProperty().set(Locale.ENGLISH);
        assertThat(stored).containsExactly(Locale.ENGLISH);
    }

    @Test
    void connectionStatusIsFetchedOnConnect() {
        vms.hub().onState(org.atrium.console.client.ConnectionState.CONNECTED, null);
        assertThat(vms.connection().statusProperty().get().nodeId()).isEqualTo("node-1");
    }
}
