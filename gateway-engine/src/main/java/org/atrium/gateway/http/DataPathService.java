package org.atrium.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.pipeline.Pipeline;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.pipeline.RouteStage;
import org.atrium.gateway.proxy.UpstreamProxy;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.security.CidrBlock;
import org.atrium.gateway.state.UsageRecorder;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;

/**
 * The data listener: {@code /health}, {@code /ready}, {@code /api/task/{task}/{path}} and the
 * OpenAI-compatible {@code /v1/*}. Each call runs the pipeline, then the proxy, then accounting;
 * every answer carries {@code X-Request-ID}.
 */
public final class DataPathService implements HttpService {
    private static final Logger LOG = Logger.getLogger(DataPathService.class.getName());
    private static final ObjectMapper JSON = Json.mapper();
    private static final io.helidon.http.HeaderName REQUEST_ID = HeaderNames.create("X-Request-ID");
    private static final String TASK_PREFIX = "/api/task";
    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);

    private final Pipeline pipeline;
    private final Pipeline authOnly;
    private final UpstreamProxy proxy;
    private final RouteRegistry routes;
    private final UsageRecorder usage;
    private final AccessLog accessLog;
    private final List<CidrBlock> trustedProxies;
    private final long maxBodyBytes;
    private final Clock clock;
    private final Supplier<String> readiness;
    private final List<ExchangeListener> listeners;

    /** Told about every data-path call as it starts and when it is finished (metrics, live stats). */
    public interface ExchangeListener {
        /** Called once per call before the pipeline runs; {@link #completed} always follows. */
        default void started(Exchange exchange) {
        }

        void completed(Exchange exchange);
    }

    public DataPathService(Pipeline pipeline, Pipeline authOnly, UpstreamProxy proxy, RouteRegistry routes,
                           UsageRecorder usage, AccessLog accessLog, List<String> trustedProxies, long maxBodyBytes,
                           Clock clock, Supplier<String> readiness, List<ExchangeListener> listeners) {
        this.pipeline = pipeline;
        this.authOnly = authOnly;
        this.proxy = proxy;
        this.routes = routes;
        this.usage = usage;
        this.accessLog = accessLog;
        this.trustedProxies = trustedProxies.stream().map(CidrBlock::parse).toList();
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
        this.readiness = readiness;
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain").send(OK))
                .get("/ready", this::ready)
                .get("/v1/models", this::models)
                .post("/v1/chat/completions", (req, res) -> handle(req, res, Exchange.Kind.OPENAI))
                .post("/v1/completions", (req, res) -> handle(req, res, Exchange.Kind.OPENAI))
                .post("/v1/embeddings", (req, res) -> handle(req, res, Exchange.Kind.OPENAI))
                .any("/v1/*", (req, res) -> notFound(req, res, true))
                .any(TASK_PREFIX, (req, res) -> handle(req, res, Exchange.Kind.TASK))
                .any(TASK_PREFIX + "/*", (req, res) -> handle(req, res, Exchange.Kind.TASK))
                .any((req, res) -> notFound(req, res, false));
    }

    /** 200 with the readiness text while ready, else 503 (see {@code GatewayServer.readiness}). */
    private void ready(ServerRequest req, ServerResponse res) {
        String body = readiness.get();
        res.status(body != null ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CONTENT_TYPE, "text/plain")
                .send(body != null ? body : "NOT READY\n");
    }

    private void notFound(ServerRequest req, ServerResponse res, boolean openAi) {
        ErrorBodies.send(res, new Rejection(ErrorCode.NOT_FOUND, "Not found"), openAi, requestId(req));
    }

    private void models(ServerRequest req, ServerResponse res) {
        Exchange ex = exchange(req, Exchange.Kind.OTHER);
        try {
            authOnly.run(ex);
        } catch (Rejection r) {
            ErrorBodies.send(res, r, true, ex.requestId());
            return;
        }
        List<Map<String, Object>> data = new ArrayList<>();
        for (Route r : routes.table().routes()) {
            if (!RouteStage.allowed(ex.principal(), r) || !ex.tenant().allowsRoute(r.id())) {
                continue;
            }
            List<String> names = new ArrayList<>();
            names.add(r.id());
            names.addAll(r.spec().aliases());
            for (String name : names) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", name);
                m.put("object", "model");
                m.put("created", 0);
                m.put("owned_by", "atrium");
                m.put("root", r.id());
                data.add(m);
            }
        }
        res.header("X-Request-ID", ex.requestId());
        send(res, Map.of("object", "list", "data", data));
    }

    private static void send(ServerResponse res, Object body) {
        try {
            res.header(HeaderNames.CONTENT_TYPE, "application/json").send(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(ServerRequest req, ServerResponse res, Exchange.Kind kind) {
        Exchange ex = exchange(req, kind);
        boolean openAi = kind == Exchange.Kind.OPENAI;
        for (ExchangeListener l : listeners) {
            try {
                l.started(ex);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Exchange listener failed", e);
            }
        }
        try {
            ambiguousFraming(req, ex);
            if (ex.contentLength() > maxBodyBytes) {
                throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE);
            }
            ex.cacheControl(req.headers().first(HeaderNames.CACHE_CONTROL).orElse(null));
            if (kind == Exchange.Kind.TASK) {
                taskPath(req, ex);
                ex.bodyReader(max -> readBody(req, ex.contentLength(), max)); // read only by stages that need it (the cache)
            } else {
                String q = req.query().rawValue();
                ex.upstreamPath(rawPath(req) + (q == null || q.isEmpty() ? "" : "?" + q));
                ex.bodyReader(max -> readBody(req, ex.contentLength(), max));
            }
            pipeline.run(ex);
            if (ex.answer() != null) {
                sendAnswer(ex, res);
            } else if (!ex.answered()) {
                if (openAi) {
                    requestUsageInStream(ex);
                }
                proxy.forward(ex, req, res, forwardedFor(req, ex), req.isSecure() ? "https" : "http", maxBodyBytes);
            }
        } catch (Rejection r) {
            ex.status(r.status());
            ex.errorCode(r.code().name());
            ErrorBodies.send(res, r, openAi, ex.requestId());
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Request " + ex.requestId() + " failed", e);
            ex.status(500);
            ex.errorCode(ErrorCode.INTERNAL_ERROR.name());
            ErrorBodies.send(res, new Rejection(ErrorCode.INTERNAL_ERROR), openAi, ex.requestId());
        } finally {
            finish(ex);
        }
    }

    /**
     * A request whose length is ambiguous is refused rather than forwarded: with both
     * {@code Content-Length} and {@code Transfer-Encoding} (RFC 9112 6.1: an intermediary must not
     * pass both on), a request-smuggling attempt whenever two parsers on the way disagree; a
     * negative length made the upstream copy fail with a 502 instead of a 400. The connection is
     * closed, so nothing left of the body is read as another request.
     */
    private static void ambiguousFraming(ServerRequest req, Exchange ex) throws Rejection {
        boolean hasLength = req.headers().contains(HeaderNames.CONTENT_LENGTH);
        if (hasLength && req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "Content-Length and Transfer-Encoding must not both be sent")
                    .header("Connection", "close");
        }
        if (hasLength) {
            // One value, digits only: "2, 40", two differing headers or "+2" are framing another
            // parser on the way may read differently (Helidon itself takes the first value).
            List<String> values = req.headers().get(HeaderNames.CONTENT_LENGTH).allValues();
            if (values.size() != 1 || !digits(values.getFirst().strip(), 18) || ex.contentLength() < 0) {
                throw new Rejection(ErrorCode.BAD_REQUEST, "Invalid Content-Length").header("Connection", "close");
            }
        }
    }

    /** {@code [0-9]{1,max}} without a regex (checked on every call). */
    static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9._-]+} without a regex. */
    static boolean requestIdSyntax(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Sends an answer a stage produced (a cache hit). */
    private static void sendAnswer(Exchange ex, ServerResponse res) {
        Exchange.Answer a = ex.answer();
        ex.status(a.status());
        res.status(a.status());
        if (a.contentType() != null) {
            res.header(HeaderNames.CONTENT_TYPE, a.contentType());
        }
        if (ex.cacheStatus() != null) {
            res.header("X-Cache", ex.cacheStatus());
        }
        res.header("X-Request-ID", ex.requestId());
        ex.addBytesOut(a.body().length);
        res.send(a.body());
    }

    private void finish(Exchange ex) {
        while (!ex.completions().isEmpty()) {
            try {
                ex.completions().pop().run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Completion hook failed", e);
            }
        }
        if (ex.route() != null && ex.principal() != null) {
            boolean error = ex.errorCode() != null || ex.status() >= 500;
            usage.record(ex.tenantId(), ex.userId(), ex.route().id(), error, ex.promptTokens(), ex.completionTokens(),
                    ex.upstreamMillis());
        }
        for (ExchangeListener l : listeners) {
            try {
                l.completed(ex);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Exchange listener failed", e);
            }
        }
        accessLog.log(ex);
    }

    /** {@code /api/task/{task}/{path}}: the task id and the path to forward, refusing dot segments. */
    private static void taskPath(ServerRequest req, Exchange ex) throws Rejection {
        String raw = rawPath(req);
        String rest = raw.length() > TASK_PREFIX.length() ? raw.substring(TASK_PREFIX.length() + 1) : "";
        int slash = rest.indexOf('/');
        String rawTask = slash < 0 ? rest : rest.substring(0, slash);
        String rawApiPath = slash < 0 ? "" : rest.substring(slash + 1);
        String task = decodeSegment(rawTask);
        if (task.isEmpty()) {
            throw new Rejection(ErrorCode.MISSING_TASK_ID);
        }
        for (int from = 0; ; ) {
            int end = rawApiPath.indexOf('/', from);
            String s = decodeSegment(end < 0 ? rawApiPath.substring(from) : rawApiPath.substring(from, end));
            if (s.equals("..") || s.equals(".") || s.contains("/") || s.contains("\\")) {
                throw new Rejection(ErrorCode.BAD_REQUEST, "Path must not contain dot segments or encoded slashes");
            }
            if (end < 0) {
                break;
            }
            from = end + 1;
        }
        if (task.equals("..") || task.equals(".") || task.contains("/") || task.contains("\\")) {
            throw new Rejection(ErrorCode.BAD_REQUEST, "Invalid task id");
        }
        ex.taskId(task);
        String q = req.query().rawValue();
        ex.upstreamPath("/" + rawApiPath + (q == null || q.isEmpty() ? "" : "?" + q));
    }

    /** A raw path segment decoded ({@code +} stays itself); without a {@code %} it is its own decoding. */
    private static String decodeSegment(String raw) {
        return raw.indexOf('%') < 0 ? raw : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * Reads the whole body, bounded. A refusal closes the connection: what is left of a body over
     * the limit or of a malformed one must not be read as the next request.
     */
    private static byte[] readBody(ServerRequest req, long contentLength, long max) throws Rejection {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] buf = contentLength >= 0 && contentLength <= Math.min(max, Integer.MAX_VALUE - 8)
                    ? readKnownLength(in, (int) contentLength, max)
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (buf.length > max) {
                throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE).header("Connection", "close");
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("too large")
                    || String.valueOf(e.getMessage()).contains("413")) {
                throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE).header("Connection", "close");
            }
            throw new Rejection(ErrorCode.BAD_REQUEST, "Could not read the request body").header("Connection", "close");
        }
    }

    /**
     * Reads a body of a declared length into an array of that length. {@code readNBytes(max + 1)}
     * allocated a 16 KiB read buffer for every call however small its body (a third of the bytes
     * the gateway allocated per call); the result is the same: what the stream gives, up to
     * {@code max + 1} bytes.
     */
    private static byte[] readKnownLength(InputStream in, int length, long max) throws IOException {
        byte[] buf = new byte[length];
        int n = in.readNBytes(buf, 0, length);
        if (n < length) {
            return java.util.Arrays.copyOf(buf, n);
        }
        int next = in.read(); // the end of the entity, which also marks it consumed
        if (next < 0) {
            return buf;
        }
        // more than declared (Helidon's stream stops at the length, so this is not expected): as before
        byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max - length));
        byte[] all = java.util.Arrays.copyOf(buf, length + 1 + rest.length);
        all[length] = (byte) next;
        System.arraycopy(rest, 0, all, length + 1, rest.length);
        return all;
    }

    /**
     * Token quotas need the count of streamed answers too: ask OpenAI-compatible engines to send
     * usage in the last chunk unless the caller decided itself.
     */
    private static void requestUsageInStream(Exchange ex) {
        ObjectNode json = ex.json();
        if (json == null || !ex.stream() || ex.path().endsWith("/embeddings")) {
            return;
        }
        if (json.has("stream_options")) {
            return;
        }
        json.putObject("stream_options").put("include_usage", true);
        try {
            ex.body(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Exchange exchange(ServerRequest req, Exchange.Kind kind) {
        String remote = remoteIp(req.remotePeer().address());
        // X-Forwarded-For counts only from a trusted proxy: without any, it is not even looked up
        String client = trustedProxies.isEmpty() ? remote : clientIp(remote, forwardedChain(req));
        long len = req.headers().contentLength().orElse(-1);
        return new Exchange(requestId(req), kind, req.prologue().method().text(), rawPath(req),
                clock.instant(), System.nanoTime(), remote, client,
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), len);
    }

    /**
     * The raw path. For an absolute-form target ({@code GET http://host/api/task/t/x}) Helidon routes
     * by the path but its raw path still holds the scheme and authority, which would otherwise be
     * read as the task id (the client could name any task through the host part).
     */
    static String rawPath(ServerRequest req) {
        String raw = req.path().rawPath();
        if (raw.startsWith("/")) {
            return raw;
        }
        int scheme = raw.indexOf("://");
        int slash = scheme < 0 ? raw.indexOf('/') : raw.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : raw.substring(slash);
    }

    /** The peer's IP as text (no DNS lookup). */
    static String remoteIp(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return String.valueOf(a);
    }

    /** The caller's address: the peer, or from {@code X-Forwarded-For} when the peer is a trusted proxy. */
    String clientIp(String remote, String xff) {
        if (xff == null || trustedProxies.isEmpty() || !trusted(remote)) {
            return remote;
        }
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (CidrBlock.literal(hop) == null) {
                return remote; // garbage in the chain: believe nothing in it
            }
            if (!trusted(hop)) {
                return hop;
            }
        }
        return hops[0].strip();
    }

    private boolean trusted(String ip) {
        byte[] b = CidrBlock.literal(ip);
        return trustedProxies.stream().anyMatch(c -> c.contains(b));
    }

    /**
     * Every {@code X-Forwarded-For} line as one list (RFC 9110 5.3: several lines are one
     * comma-separated value), or null. Taking only the first line let a client behind a trusted
     * proxy put its chosen address first and dodge an IP ban.
     */
    static String forwardedChain(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            return null;
        }
        return String.join(", ", req.headers().get(HeaderNames.X_FORWARDED_FOR).allValues());
    }

    private String forwardedFor(ServerRequest req, Exchange ex) {
        if (ex.clientIp().equals(ex.remoteAddress())) {
            return ex.clientIp(); // the peer is the caller (always so without trusted proxies)
        }
        String xff = forwardedChain(req);
        if (xff != null) {
            return xff + ", " + ex.remoteAddress();
        }
        return ex.clientIp();
    }

    private static String requestId(ServerRequest req) {
        String given = req.headers().first(REQUEST_ID).orElse(null);
        if (given != null && given.length() <= 64 && requestIdSyntax(given)) {
            return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }
}
