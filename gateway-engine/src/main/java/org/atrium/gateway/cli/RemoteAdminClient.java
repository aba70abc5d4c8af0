package org.atrium.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atrium.gateway.admin.AdminException;
import org.atrium.gateway.admin.MergePatch;
import org.atrium.gateway.admin.UsageService;
import org.atrium.model.ApiError;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.UsageRow;

/** The CLI against a running gateway's admin API. */
final class RemoteAdminClient implements AdminClient {
    private static final ObjectMapper JSON = Json.mapper();
    private final String base;
    private final String token;
    private final HttpClient http;

    RemoteAdminClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public String describe() {
        return "gateway " + base;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T call(String method, String path, Object body, JavaType type) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (body != null) {
                b.header("Content-Type", "PATCH".equals(method) ? MergePatch.MEDIA_TYPE : "application/json");
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() >= 400) {
                throw error(r);
            }
            return type == null || r.statusCode() == 204 ? null : JSON.readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.FAILED, "Unexpected answer from " + base + path + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "Cannot reach the gateway at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "Interrupted");
        }
    }

    private static AdminException error(HttpResponse<byte[]> r) {
        try {
            ApiError e = JSON.readValue(r.body(), ApiError.class);
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(e.code());
            } catch (IllegalArgumentException unknown) {
                code = ErrorCode.INTERNAL_ERROR;
            }
            return new AdminException(code, e.error() + (e.detail() == null ? "" : " (" + e.detail() + ")"), e.field());
        } catch (IOException | RuntimeException notApiError) {
            return new AdminException(r.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INTERNAL_ERROR,
                    "HTTP " + r.statusCode() + " from the gateway");
        }
    }

    private static JavaType type(Class<?> c) {
        return JSON.constructType(c);
    }

    private static JavaType listOf(Class<?> c) {
        return JSON.getTypeFactory().constructCollectionType(List.class, c);
    }

    @Override
    public List<TenantSpec> tenants() {
        return call("GET", "/admin/v1/tenants", null, listOf(TenantSpec.class));
    }

    @Override
    public TenantSpec createTenant(TenantSpec tenant) {
        return call("POST", "/admin/v1/tenants", tenant, type(TenantSpec.class));
    }

    @Override
    public TenantSpec setTenantEnabled(String id, boolean enabled) {
        // A merge patch of the one field: the tenant's other settings stay as they are.
        return call("PATCH", "/admin/v1/tenants/" + enc(id), java.util.Map.of("enabled", enabled), type(TenantSpec.class));
    }

    @Override
    public TenantSpec patchTenant(String id, java.util.Map<String, Object> patch) {
        return call("PATCH", "/admin/v1/tenants/" + enc(id), patch, type(TenantSpec.class));
    }

    @Override
    public TokenIssued issueToken(TokenIssueRequest request) {
        return call("POST", "/admin/v1/tokens", request, type(TokenIssued.class));
    }

    @Override
    public List<TokenInfo> tokens() {
        return call("GET", "/admin/v1/tokens", null, listOf(TokenInfo.class));
    }

    @Override
    public void revokeToken(String jti) {
        call("DELETE", "/admin/v1/tokens/" + enc(jti), null, null);
    }

    @Override
    public List<Ban> bans(BanType type) {
        return call("GET", "/admin/v1/bans" + (type == null ? "" : "?type=" + type.wire()), null, listOf(Ban.class));
    }

    @Override
    public Ban addBan(BanRequest request) {
        return call("POST", "/admin/v1/bans", request, type(Ban.class));
    }

    @Override
    public void removeBan(BanType type, String target) {
        call("DELETE", "/admin/v1/bans/" + type.wire() + "/" + enc(target), null, null);
    }

    @Override
    public List<RouteSpec> routes() {
        return call("GET", "/admin/v1/routes", null, listOf(RouteSpec.class));
    }

    @Override
    public RouteSpec createRoute(RouteSpec route) {
        return call("POST", "/admin/v1/routes", route, type(RouteSpec.class));
    }

    @Override
    public RouteSpec patchRoute(String id, java.util.Map<String, Object> patch) {
        return call("PATCH", "/admin/v1/routes/" + enc(id), patch, type(RouteSpec.class));
    }

    @Override
    public void deleteRoute(String id) {
        call("DELETE", "/admin/v1/routes/" + enc(id), null, null);
    }

    @Override
    public List<UsageRow> usage(String tenant, String from, String to, UsageService.GroupBy groupBy) {
        List<String> q = new ArrayList<>();
        if (tenant != null) {
            q.add("tenant=" + enc(tenant));
        }
        if (from != null) {
            q.add("from=" + enc(from));
        }
        if (to != null) {
            q.add("to=" + enc(to));
        }
        if (groupBy != null && groupBy != UsageService.GroupBy.NONE) {
            q.add("groupBy=" + groupBy.name().toLowerCase(Locale.ROOT));
        }
        return call("GET", "/admin/v1/usage" + (q.isEmpty() ? "" : "?" + String.join("&", q)), null,
                listOf(UsageRow.class));
    }

    @Override
    public List<AuditEntry> audit() {
        return call("GET", "/admin/v1/audit", null, listOf(AuditEntry.class));
    }

    @Override
    public void close() {
        http.close();
    }
}
