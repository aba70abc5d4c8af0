package org.atrium.console;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.atrium.console.client.AdminApiException;
import org.atrium.console.client.AdminClient;
import org.atrium.console.client.LiveListener;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.BackendProbe;
import org.atrium.model.BackendSpec;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.GatewayStatus;
import org.atrium.model.Priority;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.TopTalker;
import org.atrium.model.UsageRow;

/** In-memory admin API with a small hospital's data; records what the console sent. */
public final class FakeAdminClient implements AdminClient {
    public final Map<String, TenantSpec> tenants = new LinkedHashMap<>();
    public final Map<String, TokenInfo> tokens = new LinkedHashMap<>();
    public final List<Ban> bans = Collections.synchronizedList(new ArrayList<>());
    public final Map<String, RouteSpec> routes = new LinkedHashMap<>();
    public final List<AlertInfo> alerts = new ArrayList<>();
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final List<LiveListener> liveListeners = new ArrayList<>();
    public volatile Instant now = Instant.parse("2026-11-22T08:00:00Z");
    /** When set, the next write fails with this error. */
    public volatile AdminApiException failNext;
    /** The quota zone the fake gateway reports in its status (null: an older gateway without the field). */
    public volatile String quotaZone;
    /** Who the fake gateway says the token belongs to, and that token's role. */
    public volatile String actor = "admin-token";
    public volatile String role = "admin";
    private int seq;

    public static FakeAdminClient withSampleData() {
        FakeAdminClient f = new FakeAdminClient();
        f.tenants.put("radiology", new TenantSpec("radiology", "放射科 Radiology", true, 4, Priority.HIGH, 600, 100, 60, 20,
                32, 4, 50_000L, 20_000_000L, List.of()));
        f.tenants.put("emergency", new TenantSpec("emergency", "急诊科 Emergency", true, 8, Priority.HIGH, 1200, 200, null, null,
                64, null, 0L, 0L, List.of()));
        f.tenants.put("pathology", new TenantSpec("pathology", "病理科 Pathology", true, 2, Priority.NORMAL, 300, 50, null, null,
                16, null, 10_000L, 5_000_000L, List.of("qwen2.5-72b", "ocr")));
        f.tenants.put("research", new TenantSpec("research", "科研中心 Research", false, 1, Priority.LOW, 120, 20, null, null,
                8, null, 2_000L, 2_000_000L, List.of()));
        f.routes.put("qwen2.5-72b", new RouteSpec("qwen2.5-72b", List.of("qwen"), List.of(
                new BackendSpec("http://gpu-a:8000", 2, 32), new BackendSpec("http://gpu-b:8000", 1, 16)),
                null, 5, 300, null, null, "qwen2.5-7b", null, null, null, 30, 500, "/health", "Qwen 2.5 72B", "vllm", "store"));
        f.routes.put("qwen2.5-7b", RouteSpec.simple("qwen2.5-7b", "http://gpu-c:8000").withSource("config"));
        f.routes.put("ocr", RouteSpec.simple("ocr", "10.20.0.15:9000").withSource("config"));
        Instant t = f.now;
        f.tokens.put("jti-1", new TokenInfo("jti-1", "radiology", "pacs-gateway", List.of("qwen2.5-72b"), "user",
                t.minusSeconds(86_400 * 3), t.plusSeconds(86_400 * 27), null, "admin"));
        f.tokens.put("jti-2", new TokenInfo("jti-2", "pathology", "dr.wang", List.of("*"), "user",
                t.minusSeconds(86_400 * 40), t.minusSeconds(86_400 * 10), t.minusSeconds(86_400 * 12), "admin"));
        f.bans.add(new Ban(BanType.IP, "10.31.7.44", "scanner flooding /v1/chat", "admin", t.minusSeconds(600), t.plusSeconds(3000)));
        f.bans.add(new Ban(BanType.USER, "test-bot", "load test in production", "admin", t.minusSeconds(7200), null));
        f.alerts.add(new AlertInfo("a1", "gpu_temperature", "warning", "gpu-a:3", "GPU 3 at 86 °C for 5 minutes",
                t.minusSeconds(300), null, false));
        f.alerts.add(new AlertInfo("a0", "backend_down", "critical", "ocr", "Backend 10.20.0.15:9000 did not answer",
                t.minusSeconds(86_400), t.minusSeconds(80_000), true));
        return f;
    }

    private synchronized void failIfAsked() {
        AdminApiException e = failNext;
        if (e != null) {
            failNext = null;
            throw e;
        }
    }

    @Override
    public GatewayStatus status() {
        calls.add("status");
        return new GatewayStatus("0.1.0", "node-1", now.minusSeconds(3600), "embedded", true, role, quotaZone, actor);
    }

    @Override
    public synchronized List<TenantSpec> tenants() {
        calls.add("tenants");
        return List.copyOf(tenants.values());
    }

    @Override
    public synchronized TenantSpec createTenant(TenantSpec spec) {
        calls.add("createTenant " + spec.id());
        failIfAsked();
        if (tenants.containsKey(spec.id())) {
            throw new AdminApiException(409, "CONFLICT", "tenant " + spec.id() + " exists", "id", null);
        }
        tenants.put(spec.id(), spec);
        return spec;
    }

    @Override
    public synchronized TenantSpec putTenant(TenantSpec spec) {
        calls.add("putTenant " + spec.id());
        failIfAsked();
        tenants.put(spec.id(), spec);
        return spec;
    }

    @Override
    public synchronized TenantSpec patchTenant(String id, java.util.Map<String, Object> fields) {
        calls.add("patchTenant " + id + " " + new java.util.TreeMap<>(fields));
        failIfAsked();
        TenantSpec t = tenants.get(id);
        if (fields.get("enabled") instanceof Boolean b) {
            t = t.withEnabled(b);
        }
        tenants.put(id, t);
        return t;
    }

    @Override
    public synchronized void deleteTenant(String id) {
        tenants.remove(id);
    }

    @Override
    public synchronized List<TokenInfo> tokens() {
        calls.add("tokens");
        return List.copyOf(tokens.values());
    }

    @Override
    public synchronized TokenIssued issueToken(TokenIssueRequest r) {
        calls.add("issueToken " + r.tenant() + "/" + r.user() + " " + r.allowedTasks());
        failIfAsked();
        String jti = "jti-" + (100 + ++seq);
        Instant exp = now.plusSeconds(r.ttlSeconds() == null ? 86_400 : r.ttlSeconds());
        tokens.put(jti, new TokenInfo(jti, r.tenant(), r.user(), r.allowedTasks(), r.role(), now, exp, null, "admin"));
        return new TokenIssued("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ" + r.user() + "In0.c2lnbmF0dXJl" + seq, jti, exp);
    }

    @Override
    public synchronized void revokeToken(String jti) {
        calls.add("revokeToken " + jti);
        TokenInfo t = tokens.get(jti);
        if (t == null) {
            throw new AdminApiException(404, "NOT_FOUND", "no token " + jti, null, null);
        }
        tokens.put(jti, new TokenInfo(t.jti(), t.tenant(), t.user(), t.allowedTasks(), t.role(), t.issuedAt(),
                t.expiresAt(), now, t.issuedBy()));
    }

    @Override
    public List<Ban> bans(BanType type) {
        calls.add("bans");
        synchronized (bans) {
            return bans.stream().filter(b -> type == null || b.type() == type).toList();
        }
    }

    @Override
    public Ban addBan(BanRequest r) {
        calls.add("addBan " + r.type().wire() + " " + r.target() + " " + r.durationSeconds());
        failIfAsked();
        Ban b = new Ban(r.type(), r.target(), r.reason(), "admin", now,
                r.durationSeconds() == null || r.durationSeconds() == 0 ? null : now.plusSeconds(r.durationSeconds()));
        bans.removeIf(x -> x.type() == b.type() && x.target().equals(b.target()));
        bans.add(b);
        return b;
    }

    @Override
    public void removeBan(BanType type, String target) {
        calls.add("removeBan " + type.wire() + " " + target);
        bans.removeIf(x -> x.type() == type && x.target().equals(target));
    }

    @Override
    public synchronized List<RouteSpec> routes() {
        calls.add("routes");
        return List.copyOf(routes.values());
    }

    @Override
    public synchronized RouteSpec createRoute(RouteSpec spec) {
        calls.add("createRoute " + spec.id());
        failIfAsked();
        routes.put(spec.id(), spec.withSource("store"));
        return routes.get(spec.id());
    }

    @Override
    public synchronized RouteSpec putRoute(RouteSpec spec) {
        calls.add("putRoute " + spec.id());
        failIfAsked();
        routes.put(spec.id(), spec.withSource("store"));
        return routes.get(spec.id());
    }

    @Override
    public synchronized void deleteRoute(String id) {
        routes.remove(id);
    }

    @Override
    public synchronized RouteTestResult testRoute(String id) {
        calls.add("testRoute " + id);
        RouteSpec r = Objects.requireNonNull(routes.get(id));
        List<BackendProbe> probes = new ArrayList<>();
        int i = 0;
        for (BackendSpec b : r.backends()) {
            probes.add(i++ == 0 ? new BackendProbe(b.url(), true, 200, 12, null)
                    : new BackendProbe(b.url(), false, null, 3000, "connection refused"));
        }
        return new RouteTestResult(id, probes);
    }

    @Override
    public List<UsageRow> usage(String tenant, LocalDate from, LocalDate to, String groupBy) {
        calls.add("usage " + from + ".." + to);
        List<UsageRow> rows = new ArrayList<>();
        String[] ts = {"emergency", "pathology", "radiology"};
        int k = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (String t : ts) {
                if (tenant != null && !tenant.equals(t)) {
                    continue;
                }
                k++;
                long req = 800 + (k * 137L) % 1200;
                rows.add(new UsageRow(d, t, null, null, req, k % 7, req * 420, req * 180, req * 0.8));
            }
        }
        return rows;
    }

    @Override
    public String usageCsv(String tenant, LocalDate from, LocalDate to, String groupBy) {
        StringBuilder sb = new StringBuilder("day,tenant,requests,errors,promptTokens,completionTokens,gpuSeconds\n");
        for (UsageRow r : usage(tenant, from, to, groupBy)) {
            sb.append(r.day()).append(',').append(r.tenant()).append(',').append(r.requests()).append(',')
                    .append(r.errors()).append(',').append(r.promptTokens()).append(',').append(r.completionTokens())
                    .append(',').append(r.gpuSeconds()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, String actor) {
        calls.add("audit");
        Instant t = now;
        return List.of(
                new AuditEntry(1, t.minusSeconds(7200), "admin", "127.0.0.1", "tenant.create", "radiology", null,
                        "{\"id\":\"radiology\",\"weight\":4}", "0", "h1"),
                new AuditEntry(2, t.minusSeconds(3600), "admin", "127.0.0.1", "token.issue", "jti-1", null,
                        "{\"user\":\"pacs-gateway\"}", "h1", "h2"),
                new AuditEntry(3, t.minusSeconds(600), "it.zhang", "10.1.2.3", "ban.add", "ip:10.31.7.44", null,
                        "{\"reason\":\"scanner flooding\"}", "h2", "h3"),
                new AuditEntry(4, t.minusSeconds(60), "it.zhang", "10.1.2.3", "route.update", "qwen2.5-72b",
                        "{\"weight\":1}", "{\"weight\":2}", "h3", "h4"));
    }

    @Override
    public synchronized List<AlertInfo> alerts(boolean activeOnly) {
        calls.add("alerts");
        return alerts.stream().filter(a -> !activeOnly || a.active()).toList();
    }

    @Override
    public synchronized void acknowledgeAlert(String id) {
        calls.add("ack " + id);
        alerts.replaceAll(a -> a.id().equals(id) ? new AlertInfo(a.id(), a.rule(), a.severity(), a.subject(),
                a.message(), a.firedAt(), a.resolvedAt(), true) : a);
    }

    @Override
    public List<TopTalker> topTalkers(String by, int limit) {
        calls.add("topTalkers " + by);
        return "ip".equals(by)
                ? List.of(new TopTalker("ip", "10.31.7.44", "radiology", 940), new TopTalker("ip", "10.12.0.8", "emergency", 210))
                : List.of(new TopTalker("user", "pacs-gateway", "radiology", 400));
    }

    @Override
    public synchronized LiveSubscription subscribeLive(LiveListener listener) {
        liveListeners.add(listener);
        return () -> {
            synchronized (this) {
                liveListeners.remove(listener);
            }
        };
    }

    @Override
    public void close() {
    }
}
