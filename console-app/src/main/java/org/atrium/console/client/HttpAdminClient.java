package org.atrium.console.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.model.AlertInfo;
import org.atrium.model.ApiError;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.GatewayStatus;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.TopTalker;
import org.atrium.model.UsageRow;

/** {@link AdminClient} over {@code java.net.http}; the target can be switched while running. */
public final class HttpAdminClient implements AdminClient {
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String API = "/admin/v1";
    /** The console tolerates fields a newer gateway adds; the gateway stays strict on input. */
    private static final ObjectMapper MAPPER = Json.mapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final HttpClient http;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final Duration requestTimeout;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration staleAfter;
    private final List<LiveFeed> feeds = new CopyOnWriteArrayList<>();
    private volatile GatewayTarget target;

    public HttpAdminClient(GatewayTarget target) {
        // Frames come every second, so ten silent seconds mean a dead socket.
        this(target, Duration.ofSeconds(15), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public HttpAdminClient(GatewayTarget target, Duration requestTimeout, Duration backoffInitial, Duration backoffMax,
                           Duration staleAfter) {
        this.target = Objects.requireNonNull(target, "target");
        this.requestTimeout = requestTimeout;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.staleAfter = staleAfter;
        this.httpExecutor = Executors.newCachedThreadPool(daemon("atrium-http"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("atrium-live-retry"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
    }

    public GatewayTarget target() {
        return target;
    }

    /** Points the client at another gateway (or a new token); live feeds reconnect at once. */
    public void retarget(GatewayTarget newTarget) {
        this.target = Objects.requireNonNull(newTarget, "target");
        feeds.forEach(LiveFeed::reconnectNow);
    }

    @Override
    public GatewayStatus status() {
        return get("/status", new TypeReference<>() { });
    }

    @Override
    public List<TenantSpec> tenants() {
        return get("/tenants", new TypeReference<>() { });
    }

    @Override
    public TenantSpec createTenant(TenantSpec spec) {
        return send("POST", "/tenants", spec, new TypeReference<>() { });
    }

    @Override
    public TenantSpec putTenant(TenantSpec spec) {
        return send("PUT", "/tenants/" + seg(spec.id()), spec, new TypeReference<>() { });
    }

    @Override
    public TenantSpec patchTenant(String id, Map<String, Object> fields) {
        return send("PATCH", "/tenants/" + seg(id), fields, MERGE_PATCH, new TypeReference<>() { });
    }

    @Override
    public void deleteTenant(String id) {
        send("DELETE", "/tenants/" + seg(id), null, null);
    }

    @Override
    public List<TokenInfo> tokens() {
        return get("/tokens", new TypeReference<>() { });
    }

    @Override
    public TokenIssued issueToken(TokenIssueRequest request) {
        return send("POST", "/tokens", request, new TypeReference<>() { });
    }

    @Override
    public void revokeToken(String jti) {
        send("DELETE", "/tokens/" + seg(jti), null, null);
    }

    @Override
    public List<Ban> bans(BanType type) {
        return get("/bans" + (type == null ? "" : "?type=" + type.wire()), new TypeReference<>() { });
    }

    @Override
    public Ban addBan(BanRequest request) {
        return send("POST", "/bans", request, new TypeReference<>() { });
    }

    @Override
    public void removeBan(BanType type, String target) {
        send("DELETE", "/bans/" + type.wire() + "/" + seg(target), null, null);
    }

    @Override
    public List<RouteSpec> routes() {
        return get("/routes", new TypeReference<>() { });
    }

    @Override
    public RouteSpec createRoute(RouteSpec spec) {
        return send("POST", "/routes", spec, new TypeReference<>() { });
    }

    @Override
    public RouteSpec putRoute(RouteSpec spec) {
        return send("PUT", "/routes/" + seg(spec.id()), spec, new TypeReference<>() { });
    }

    @Override
    public void deleteRoute(String id) {
        send("DELETE", "/routes/" + seg(id), null, null);
    }

    @Override
    public RouteTestResult testRoute(String id) {
        return send("POST", "/routes/" + seg(id) + "/test", null, new TypeReference<>() { });
    }

    @Override
    public List<UsageRow> usage(String tenant, LocalDate from, LocalDate to, String groupBy) {
        return get(usagePath(tenant, from, to, groupBy), new TypeReference<>() { });
    }

    @Override
    public String usageCsv(String tenant, LocalDate from, LocalDate to, String groupBy) {
        HttpResponse<String> r = exchange(request(usagePath(tenant, from, to, groupBy)).setHeader("Accept", "text/csv").GET());
        return r.body();
    }

    private static String usagePath(String tenant, LocalDate from, LocalDate to, String groupBy) {
        return "/usage" + query("tenant", tenant, "from", from, "to", to, "groupBy", groupBy);
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, String actor) {
        return get("/audit" + query("from", from, "to", to, "actor", actor), new TypeReference<>() { });
    }

    @Override
    public List<AlertInfo> alerts(boolean activeOnly) {
        return get("/alerts?state=" + (activeOnly ? "active" : "all"), new TypeReference<>() { });
    }

    @Override
    public void acknowledgeAlert(String id) {
        send("POST", "/alerts/" + seg(id) + "/ack", null, null);
    }

    @Override
    public List<TopTalker> topTalkers(String by, int limit) {
        return get("/top-talkers" + query("by", by, "limit", limit), new TypeReference<>() { });
    }

    @Override
    public LiveSubscription subscribeLive(LiveListener listener) {
        LiveFeed feed = new LiveFeed(http, this::target, listener, scheduler,
                new Backoff(backoffInitial, backoffMax, Math::random), MAPPER, feeds::remove, staleAfter);
        feeds.add(feed);
        feed.start();
        return feed;
    }

    @Override
    public void close() {
        feeds.forEach(LiveFeed::close);
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
        http.close();
    }

    // --- plumbing ---

    private <T> T get(String path, TypeReference<T> type) {
        return read(exchange(request(path).GET()), type);
    }

    private <T> T send(String method, String path, Object body, TypeReference<T> type) {
        return send(method, path, body, "application/json", type);
    }

    private <T> T send(String method, String path, Object body, String contentType, TypeReference<T> type) {
        HttpRequest.BodyPublisher publisher;
        HttpRequest.Builder b = request(path);
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            try {
                publisher = HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new AdminApiException(0, AdminApiException.INVALID_INPUT, "could not encode the request", null, e);
            }
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = exchange(b.method(method, publisher));
        return type == null ? null : read(r, type);
    }

    private HttpRequest.Builder request(String path) {
        GatewayTarget t = target;
        HttpRequest.Builder b = HttpRequest.newBuilder(t.resolve(API + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (!t.adminToken().isEmpty()) {
            b.header("Authorization", "Bearer " + t.adminToken());
        }
        return b;
    }

    private HttpResponse<String> exchange(HttpRequest.Builder builder) {
        HttpResponse<String> r;
        try {
            r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new AdminApiException(0, AdminApiException.UNREACHABLE, "no gateway answers at " + target.baseUri(), null, e);
        } catch (HttpTimeoutException e) {
            throw new AdminApiException(0, AdminApiException.UNREACHABLE, "the gateway did not answer in time", null, e);
        } catch (IOException e) {
            throw new AdminApiException(0, AdminApiException.UNREACHABLE,
                    "connection to " + target.baseUri() + " failed: " + plain(e), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminApiException(0, AdminApiException.UNREACHABLE, "interrupted", null, e);
        }
        if (r.statusCode() / 100 != 2) {
            throw errorOf(r.statusCode(), r.body());
        }
        return r;
    }

    static AdminApiException errorOf(int status, String body) {
        try {
            ApiError e = MAPPER.readValue(body, ApiError.class);
            return AdminApiException.of(status, e);
        } catch (IOException | RuntimeException notApiError) {
            return new AdminApiException(status, "HTTP_" + status,
                    "the gateway answered HTTP " + status + " without an error body", null, null);
        }
    }

    private static <T> T read(HttpResponse<String> r, TypeReference<T> type) {
        try {
            return MAPPER.readValue(r.body(), type);
        } catch (IOException | RuntimeException e) {
            throw new AdminApiException(r.statusCode(), AdminApiException.BAD_RESPONSE,
                    "the gateway's answer could not be read: " + plain(e), null, e);
        }
    }

    static String plain(Throwable e) {
        // the usual failures in the same few words (the views translate these by key, see Messages.reason)
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.nio.channels.ClosedChannelException || e instanceof java.io.EOFException) {
            return "connection lost";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static String seg(String s) {
        if (s == null || s.isBlank()) {
            throw new AdminApiException(0, AdminApiException.INVALID_INPUT, "an id is required", null, null);
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(Object... kv) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v != null && !v.toString().isBlank()) {
                parts.add(kv[i] + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
