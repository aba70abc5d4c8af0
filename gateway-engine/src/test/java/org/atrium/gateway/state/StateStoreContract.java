package org.atrium.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.Priority;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole {@link StateStore} contract. Every implementation extends this with a way to open an
 * empty store on a clock the test moves; it must pass unchanged.
 */
public abstract class StateStoreContract {
    protected static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    protected final MutableClock clock = new MutableClock(T0);
    protected StateStore store;

    /** An empty store, reading time from {@code clock}. */
    protected abstract StateStore open(Clock clock);

    @BeforeEach
    void openStore() {
        store = open(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static TenantSpec tenant(String id, int weight, Long dailyRequests) {
        return new TenantSpec(id, "Dept " + id, true, weight, Priority.HIGH, 60, 10, 30, 5, 4, 2, dailyRequests,
                null, List.of("task_001"));
    }

    static TokenInfo token(String jti) {
        return new TokenInfo(jti, "radiology", "alice", List.of("task_001"), "user", T0, T0.plusSeconds(3600), null,
                "admin");
    }

    @Test
    void tenantsCanBeCreatedReadUpdatedAndDeleted() {
        assertThat(store.tenants()).isEmpty();
        assertThat(store.tenant("radiology")).isEmpty();
        store.putTenant(tenant("radiology", 3, 1000L));
        store.putTenant(tenant("icu", 1, null));
        assertThat(store.tenants()).extracting(TenantSpec::id).containsExactly("icu", "radiology");
        assertThat(store.tenant("radiology")).contains(tenant("radiology", 3, 1000L));

        store.putTenant(tenant("radiology", 5, 2000L).withEnabled(false));
        assertThat(store.tenant("radiology")).contains(tenant("radiology", 5, 2000L).withEnabled(false));
        assertThat(store.tenants()).hasSize(2);

        assertThat(store.deleteTenant("radiology")).isTrue();
        assertThat(store.deleteTenant("radiology")).isFalse();
        assertThat(store.tenant("radiology")).isEmpty();
        assertThat(store.tenants()).extracting(TenantSpec::id).containsExactly("icu");
    }

    @Test
    void routesCanBeCreatedReplacedAndDeleted() {
        RouteSpec r1 = RouteSpec.simple("task_001", "http://10.0.0.5:8000", "http://10.0.0.6:8000");
        RouteSpec r2 = RouteSpec.simple("qwen3-8b", "http://10.0.0.7:8000");
        store.putRoute(r1);
        store.putRoute(r2);
        assertThat(store.routes()).containsExactly(r2, r1);

        RouteSpec r1b = RouteSpec.simple("task_001", "http://10.0.0.9:8000");
        store.putRoute(r1b);
        assertThat(store.routes()).containsExactly(r2, r1b);

        assertThat(store.deleteRoute("task_001")).isTrue();
        assertThat(store.deleteRoute("task_001")).isFalse();
        assertThat(store.routes()).containsExactly(r2);
    }

    @Test
    void bansAreKeyedByTypeAndTargetAndExpire() {
        Ban forever = new Ban(BanType.USER, "mallory", "abuse", "admin", T0, null);
        Ban shortIp = new Ban(BanType.IP, "10.1.2.3", "scan", "admin", T0, T0.plusSeconds(60));
        Ban block = new Ban(BanType.IP, "192.168.0.0/16", null, "admin", T0, T0.plusSeconds(3600));
        Ban sameTargetOtherType = new Ban(BanType.TASK, "mallory", null, "admin", T0, null);
        store.putBan(forever);
        store.putBan(shortIp);
        store.putBan(block);
        store.putBan(sameTargetOtherType);
        assertThat(store.bans()).containsExactlyInAnyOrder(forever, shortIp, block, sameTargetOtherType);

        Ban longer = new Ban(BanType.IP, "10.1.2.3", "scan again", "admin", T0, T0.plusSeconds(7200));
        store.putBan(longer);
        assertThat(store.bans()).containsExactlyInAnyOrder(forever, longer, block, sameTargetOtherType);

        clock.advance(Duration.ofSeconds(3600)); // block expires exactly now
        assertThat(store.bans()).containsExactlyInAnyOrder(forever, longer, sameTargetOtherType);
        clock.advance(Duration.ofSeconds(3601));
        assertThat(store.bans()).containsExactlyInAnyOrder(forever, sameTargetOtherType);

        assertThat(store.deleteBan(BanType.USER, "mallory")).isTrue();
        assertThat(store.deleteBan(BanType.USER, "mallory")).isFalse();
        assertThat(store.bans()).containsExactly(sameTargetOtherType);
    }

    @Test
    void tokensAreRegisteredAndRevokedOnce() {
        store.registerToken(token("j2"));
        store.registerToken(token("j1"));
        assertThat(store.tokens()).extracting(TokenInfo::jti).containsExactly("j1", "j2");
        assertThat(store.tokens()).noneMatch(TokenInfo::revoked);

        Instant at = T0.plusSeconds(10);
        assertThat(store.revokeToken("j1", at)).isTrue();
        assertThat(store.revokeToken("j1", at.plusSeconds(50))).isTrue();
        assertThat(store.revokeToken("nope", at)).isFalse();
        TokenInfo j1 = store.tokens().getFirst();
        assertThat(j1.revokedAt()).isEqualTo(at);
        assertThat(j1.tenant()).isEqualTo("radiology");
        assertThat(j1.allowedTasks()).containsExactly("task_001");
        assertThat(store.tokens().get(1).revoked()).isFalse();
    }

    @Test
    void usageAddsUpPerRowAndFiltersByDayAndTenant() {
        LocalDate d1 = LocalDate.of(2026, 3, 1);
        LocalDate d2 = LocalDate.of(2026, 3, 2);
        LocalDate d3 = LocalDate.of(2026, 3, 3);
        store.addUsage(List.of());
        store.addUsage(List.of(
                new UsageDelta(d1, "radiology", "alice", "task_001", 2, 1, 100, 40, 1500),
                new UsageDelta(d2, "radiology", "alice", "task_001", 1, 0, 10, 5, 250),
                new UsageDelta(d2, "icu", "bob", "qwen3-8b", 4, 0, 400, 80, 2000)));
        store.addUsage(List.of(
                new UsageDelta(d2, "radiology", "alice", "task_001", 3, 2, 30, 15, 750),
                new UsageDelta(d3, "radiology", "carol", "task_001", 1, 0, 1, 1, 1)));

        assertThat(store.usage(d2, d2, "radiology")).containsExactly(
                new UsageRow(d2, "radiology", "alice", "task_001", 4, 2, 40, 20, 1.0));
        assertThat(store.usage(d1, d3, null)).containsExactly(
                new UsageRow(d1, "radiology", "alice", "task_001", 2, 1, 100, 40, 1.5),
                new UsageRow(d2, "icu", "bob", "qwen3-8b", 4, 0, 400, 80, 2.0),
                new UsageRow(d2, "radiology", "alice", "task_001", 4, 2, 40, 20, 1.0),
                new UsageRow(d3, "radiology", "carol", "task_001", 1, 0, 1, 1, 0.001));
        assertThat(store.usage(d2, d3, "icu")).extracting(UsageRow::user).containsExactly("bob");
        assertThat(store.usage(d3.plusDays(1), d3.plusDays(30), null)).isEmpty();
    }

    @Test
    void auditEntriesFormOneIntactHashChain() {
        AuditEntry a = store.appendAudit(new AuditRecord("admin", "127.0.0.1", "tenant.create", "radiology", null, "{}"));
        clock.advance(Duration.ofSeconds(10));
        AuditEntry b = store.appendAudit(new AuditRecord("ops", "10.0.0.2", "ban.add", "ip:10.1.2.3", null, "{\"x\":1}"));
        clock.advance(Duration.ofSeconds(10));
        AuditEntry c = store.appendAudit(new AuditRecord("admin", "127.0.0.1", "tenant.update", "radiology", "{}", "{}"));

        assertThat(List.of(a.seq(), b.seq(), c.seq())).containsExactly(0L, 1L, 2L);
        assertThat(a.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(b.prevHash()).isEqualTo(a.hash());
        assertThat(c.prevHash()).isEqualTo(b.hash());
        assertThat(a.at()).isEqualTo(T0);

        List<AuditEntry> all = store.audit(null, null, null);
        assertThat(all).containsExactly(a, b, c);
        assertThat(AuditChain.firstBrokenLink(all)).isEmpty();
        assertThat(store.audit(null, null, "admin")).containsExactly(a, c);
        assertThat(store.audit(T0.plusSeconds(10), T0.plusSeconds(20), null)).containsExactly(b);
    }

    @Test
    void alertOccurrencesAreStoredResolvedAndListedNewestFirst() {
        AlertInfo gpu = new AlertInfo("gpu-temp:gpu0", "GPU_TEMPERATURE", "warning", "gpu0", "88 C", T0, null, false);
        AlertInfo redis = new AlertInfo("redis", "REDIS_UNREACHABLE", "critical", "redis", "down", T0.plusSeconds(5),
                null, false);
        AlertInfo gpuAgain = new AlertInfo("gpu-temp:gpu0", "GPU_TEMPERATURE", "warning", "gpu0", "90 C",
                T0.plusSeconds(60), null, false);
        store.putAlert(gpu);
        store.putAlert(redis);
        assertThat(store.activeAlerts()).containsExactly(redis, gpu);

        AlertInfo gpuResolved = new AlertInfo(gpu.id(), gpu.rule(), gpu.severity(), gpu.subject(), gpu.message(),
                gpu.firedAt(), T0.plusSeconds(30), true);
        store.putAlert(gpuResolved);
        store.putAlert(gpuAgain);
        assertThat(store.activeAlerts()).containsExactly(gpuAgain, redis);
        assertThat(store.alerts(10)).containsExactly(gpuAgain, redis, gpuResolved);
        assertThat(store.alerts(2)).containsExactly(gpuAgain, redis);
        assertThat(store.alerts(0)).isEmpty();
    }

    @Test
    void listenersHearEveryKindOfChange() {
        List<StateChange> heard = new CopyOnWriteArrayList<>();
        store.onChange(heard::add);
        store.putTenant(tenant("radiology", 1, null));
        assertThat(heard).contains(StateChange.TENANTS);
        store.putRoute(RouteSpec.simple("task_001", "http://10.0.0.5:8000"));
        assertThat(heard).contains(StateChange.ROUTES);
        store.putBan(new Ban(BanType.USER, "mallory", null, "admin", T0, null));
        assertThat(heard).contains(StateChange.BANS);
        store.registerToken(token("j1"));
        assertThat(heard).contains(StateChange.TOKENS);

        heard.clear();
        store.revokeToken("j1", T0);
        assertThat(heard).contains(StateChange.TOKENS);
        heard.clear();
        store.deleteBan(BanType.USER, "mallory");
        assertThat(heard).contains(StateChange.BANS);
        heard.clear();
        store.deleteRoute("task_001");
        assertThat(heard).contains(StateChange.ROUTES);
        heard.clear();
        store.deleteTenant("radiology");
        assertThat(heard).contains(StateChange.TENANTS);
    }

    @Test
    void reportsHealthyWhenReachable() {
        assertThat(store.healthy()).isTrue();
    }
}
