package org.atrium.gateway.proxy;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.common.uri.UriQuery;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.Failures;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Route;
import org.atrium.model.Balancer;
import org.atrium.model.ErrorCode;
import org.atrium.model.RouteSpec;

/**
 * Forwards one call to its route's backends. Tries the balancer's pick first and fails over to the
 * next only when the request never reached the first (connection refused, unreachable, connect
 * timeout); once a byte went upstream, a failure is the caller's answer, so a non-idempotent
 * generation is never run twice. The answer streams back read by read with a flush each time, so
 * SSE events are not delayed; a client that goes away closes the upstream connection (the engine
 * stops generating); an upstream that dies mid-answer ends the client's stream with an error
 * event and a broken connection, never a fake {@code [DONE]}.
 */
public final class UpstreamProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class.getName());
    /** Per-call copy buffer: small, because every open stream holds one (the bench saw 10k streams). */
    private static final int BUFFER = 8 * 1024;

    /** Never forwarded upstream: hop-by-hop headers, the caller's credentials, identity the gateway sets. */
    static final Set<String> REQUEST_DROP = Set.of("host", "connection", "keep-alive", "proxy-authorization",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "expect",
            "authorization", "accept-encoding", "x-user-id", "x-tenant-id", "x-task-id", "x-request-id",
            "x-authenticated-at", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-real-ip", "forwarded", "x-upstream", "cookie");
    /** Never copied back to the caller. */
    static final Set<String> RESPONSE_DROP = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authenticate", "server", "x-request-id", "x-upstream", "content-length", "date");

    private final StreamWatchdog watchdog = new StreamWatchdog();

    private final Map<Integer, Http1Client> clients = new ConcurrentHashMap<>();
    private final ProxyHooks hooks;

    public UpstreamProxy() {
        this(ProxyHooks.NONE);
    }

    public UpstreamProxy(ProxyHooks hooks) {
        this.hooks = hooks;
    }

    /** HTTP/1.1 directly: the generic client would negotiate the protocol on every call (~4 % of CPU). */
    private Http1Client client(int connectTimeoutSeconds) {
        return clients.computeIfAbsent(connectTimeoutSeconds, s -> WebClient.builder()
                .followRedirects(false)
                .keepAlive(true)
                .connectionCacheSize(256)
                .socketOptions(o -> o.connectTimeout(Duration.ofSeconds(s)).tcpNoDelay(true))
                .sendExpectContinue(false)
                .servicesDiscoverServices(false)
                .build()
                .client(Http1Client.PROTOCOL));
    }

    /** A 502/503/504 answer, thrown inside the guard so the circuit breaker counts it, then relayed. */
    private static final class FailedStatus extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient HttpClientResponse response;

        FailedStatus(HttpClientResponse response) {
            super("upstream status " + response.status().code(), null, false, false);
            this.response = response;
        }
    }

    /**
     * Sends the call upstream and streams the answer to {@code res}.
     *
     * @param forwardedFor value for {@code X-Forwarded-For}
     * @param scheme       {@code http} or {@code https} as the client used
     */
    public void forward(Exchange ex, ServerRequest req, ServerResponse res, String forwardedFor, String scheme,
                        long maxBodyBytes) throws Rejection {
        Route route = ex.route();
        RouteSpec spec = route.spec();
        if ((route.backends().size() > 1 || spec.balancer() == Balancer.INFERENCE) && ex.body() == null && hasBody(req)) {
            // The request's entity can be read only once: keep it (bounded by the body limit) so a
            // failover attempt can send it again; the inference balancer reads its prompt prefix. Read
            // before a backend slot is taken, so a refused body cannot hold one.
            ex.body(ex.bodyReader().read(maxBodyBytes));
        }
        // A full backend (max_concurrency) is skipped; when all are full the call waits for a slot
        // for what is left of the route's queue timeout.
        long deadline = System.nanoTime() + Math.max(0, Duration.ofSeconds(spec.queueTimeoutSeconds()).toNanos()
                - ex.queueNanos());
        Route.Choice choice = route.choose(route.profile(ex.body()), hooks::permits, deadline);
        List<Backend> candidates = choice.order();
        switch (choice.outcome()) {
            case NONE_AVAILABLE -> throw new Rejection(ErrorCode.UPSTREAM_UNAVAILABLE, "No healthy backend for this route")
                    .retryAfterSeconds(5);
            case ALL_REFUSED -> throw new Rejection(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "All backends of this route are failing (circuit open)").retryAfterSeconds(5);
            case ALL_FULL -> throw new Rejection(ErrorCode.QUEUE_TIMEOUT).with("task_id", route.id()).retryAfterSeconds(5);
            case CHOSEN -> ex.pick(choice.decision());
        }
        Rejection last = null;
        for (Backend backend : candidates) {
            if (!choice.take(backend)) {
                continue; // filled up since the choice: never pile onto a full backend
            }
            ex.backend(backend);
            CountingBody[] upload = new CountingBody[1];
            HttpClientResponse cres;
            long started = System.nanoTime();
            ex.upstreamStartNanos(started);
            try {
                try {
                    cres = hooks.guard(backend, () -> {
                        HttpClientResponse r = send(ex, req, backend, spec, forwardedFor, scheme, maxBodyBytes, upload);
                        int code = r.status().code();
                        if (code == 502 || code == 503 || code == 504) {
                            throw new FailedStatus(r);
                        }
                        return r;
                    });
                } catch (FailedStatus f) {
                    cres = f.response;
                }
            } catch (ProxyHooks.Skip skip) {
                backend.end();
                last = new Rejection(ErrorCode.UPSTREAM_UNAVAILABLE, "Backend unavailable (circuit open)").retryAfterSeconds(5);
                continue; // nothing was sent: try the next one
            } catch (RuntimeException e) {
                backend.end();
                if (upload[0] != null && upload[0].tooLarge()) {
                    throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE);
                }
                if (upload[0] != null && upload[0].clientBroken()) {
                    // the caller's body was malformed (e.g. a bad chunk size): its fault, not the backend's
                    throw new Rejection(ErrorCode.BAD_REQUEST, "Could not read the request body").header("Connection", "close");
                }
                boolean reached = upload[0] != null ? upload[0].started() && !connectFailure(e) : !connectFailure(e);
                backend.recordFailure();
                ex.upstreamEndNanos(System.nanoTime());
                // One line an operator can act on ("what broke last night"); the trace only at FINE.
                LOG.warning(() -> "Upstream call failed: route " + route.id() + ", backend " + backend.uri()
                        + (reached ? "" : " (not reached, trying the next)") + ": " + Failures.describe(e));
                LOG.log(Level.FINE, "Upstream attempt failed for route " + route.id(), e);
                if (reached) {
                    throw timeout(e) ? new Rejection(ErrorCode.UPSTREAM_TIMEOUT) : new Rejection(ErrorCode.UPSTREAM_ERROR);
                }
                last = new Rejection(ErrorCode.UPSTREAM_UNAVAILABLE, "Backend unreachable").retryAfterSeconds(5);
                continue; // nothing reached this backend: safe to try the next one
            }
            try {
                relay(ex, res, cres, backend, route);
            } finally {
                backend.end();
                learn(ex, backend);
            }
            return;
        }
        throw last != null ? last : new Rejection(ErrorCode.UPSTREAM_UNAVAILABLE, "Backend unavailable").retryAfterSeconds(5);
    }

    /**
     * A complete answer teaches the balancer the backend's speed: a stream its time to first token and
     * decode tokens/s after it; a plain answer (first byte = whole answer) only tokens over its whole time.
     */
    private static void learn(Exchange ex, Backend backend) {
        if (ex.status() != 200 || ex.errorCode() != null || ex.firstByteNanos() == 0 || ex.upstreamEndNanos() == 0) {
            return;
        }
        if (ex.stream()) {
            backend.capacity().observe(ex.completionTokens(), ex.firstByteNanos() - ex.upstreamStartNanos(),
                    ex.upstreamEndNanos() - ex.firstByteNanos());
        } else {
            backend.capacity().observe(ex.completionTokens(), 0, ex.upstreamEndNanos() - ex.upstreamStartNanos());
        }
    }

    private HttpClientResponse send(Exchange ex, ServerRequest req, Backend backend, RouteSpec spec, String forwardedFor,
                                    String scheme, long maxBodyBytes, CountingBody[] upload) {
        Http1ClientRequest creq = client(spec.connectTimeoutSeconds())
                .method(Method.create(ex.method()))
                .uri(target(backend.uri(), ex.upstreamPath()))
                .readTimeout(Duration.ofSeconds(spec.readTimeoutSeconds()));
        query(creq, ex.upstreamPath());
        copyRequestHeaders(req, creq, ex, forwardedFor, scheme, spec);
        if (ex.body() != null) {
            return ex.body().length == 0 && !hasBody(req) ? creq.request() : creq.submit(ex.body());
        }
        if (hasBody(req)) {
            if (req.headers().contentLength().isPresent()) {
                creq.header(HeaderNames.CONTENT_LENGTH, Long.toString(req.headers().contentLength().getAsLong()));
            }
            CountingBody u = new CountingBody(req.content().inputStream(), maxBodyBytes);
            upload[0] = u;
            HttpClientResponse r = creq.outputStream(os -> {
                u.copyTo(os);
                os.close();
            });
            ex.bytesIn(u.count());
            return r;
        }
        return creq.request();
    }

    /** Backend base URL + the call's path (without the query, see {@link #query}). */
    static URI target(URI base, String upstreamPath) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        int q = upstreamPath.indexOf('?');
        String path = q < 0 ? upstreamPath : upstreamPath.substring(0, q);
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + path);
    }

    /** Copies the caller's query parameters (decoded here, encoded again by the client). */
    private static void query(Http1ClientRequest creq, String upstreamPath) {
        int q = upstreamPath.indexOf('?');
        if (q < 0 || q == upstreamPath.length() - 1) {
            return;
        }
        UriQuery query = UriQuery.create(upstreamPath.substring(q + 1));
        for (String name : query.names()) {
            creq.queryParam(name, query.all(name).toArray(String[]::new));
        }
    }

    private static boolean hasBody(ServerRequest req) {
        return req.content().hasEntity();
    }

    private static void copyRequestHeaders(ServerRequest req, Http1ClientRequest creq, Exchange ex, String forwardedFor,
                                           String scheme, RouteSpec spec) {
        for (Header h : req.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!REQUEST_DROP.contains(name)) {
                creq.header(HeaderValues.create(h.name(), h.allValues()));
            }
        }
        if (ex.principal() != null) {
            creq.header(HeaderValues.create("X-User-ID", ex.principal().user()));
            creq.header(HeaderValues.create("X-Tenant-ID", ex.tenantId()));
            creq.header(HeaderValues.create("X-Authenticated-At", ex.receivedAt().toString()));
        }
        creq.header(HeaderValues.create("X-Task-ID", ex.route().id()));
        creq.header(HeaderValues.create("X-Request-ID", ex.requestId()));
        creq.header(HeaderValues.create("X-Real-IP", ex.clientIp()));
        creq.header(HeaderValues.create("X-Forwarded-For", forwardedFor));
        creq.header(HeaderValues.create("X-Forwarded-Proto", scheme));
        if (spec.upstreamApiKey() != null && !spec.upstreamApiKey().isBlank()) {
            creq.header(HeaderValues.create(spec.upstreamApiKeyHeader(), spec.upstreamApiKey()));
        }
    }

    private void relay(Exchange ex, ServerResponse res, HttpClientResponse cres, Backend backend, Route route)
            throws Rejection {
        int status = cres.status().code();
        ex.status(status);
        if (status == 502 || status == 503 || status == 504) {
            backend.recordFailure();
        } else {
            backend.recordSuccess();
        }
        String contentType = cres.headers().contentType().map(Object::toString).orElse(null);
        ProxyHooks.AnswerSink capture = hooks.capture(ex, status, contentType);
        UsageMeter meter = new UsageMeter(contentType);
        byte[] buf = new byte[BUFFER];
        InputStream in = cres.inputStream();
        OutputStream out = null;
        // A length-delimited answer is complete for the caller with its last byte, so the upstream side
        // is finished (connection back in the pool) before that byte goes out: otherwise the caller's
        // next request can race this one's connection release, which Helidon 4.2's pool mishandles
        // (helidon#10861: the idle monitor steals the next answer's first byte → a spurious 502).
        long expected = cres.headers().contentLength().orElse(-1);
        long relayed = 0;
        Duration readTimeout = Duration.ofSeconds(route.spec().readTimeoutSeconds());
        try (StreamWatchdog.Handle watch = watchdog.watch(readTimeout, () -> abortUpstream(cres))) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                    watch.touch();
                } catch (IOException | RuntimeException e) {
                    ex.upstreamEndNanos(System.nanoTime());
                    backend.recordFailure();
                    boolean timedOut = watch.fired() || timeout(e);
                    if (out == null) {
                        // Nothing went to the caller yet: an honest error answer is still possible.
                        abortUpstream(cres);
                        throw new Rejection(timedOut ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_ERROR);
                    }
                    midStreamFailure(ex, meter, out, cres, timedOut);
                    return;
                }
                if (n == 0) {
                    continue;
                }
                if (out == null) {
                    // Headers go out with the first bytes (or the end of an empty answer), not before.
                    commitHeaders(ex, res, cres, backend, route, status);
                    out = res.outputStream();
                }
                if (n < 0) {
                    completeUpstream(ex, meter, cres, capture);
                    break;
                }
                ex.firstByteNanos(System.nanoTime());
                meter.accept(buf, 0, n);
                if (capture != null) {
                    capture.accept(buf, 0, n);
                }
                relayed += n;
                boolean last = expected > 0 && relayed >= expected && endOfEntity(in);
                if (last) {
                    completeUpstream(ex, meter, cres, capture);
                }
                try {
                    out.write(buf, 0, n);
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    clientGone(ex, cres);
                    return;
                }
                ex.addBytesOut(n);
                if (last) {
                    break;
                }
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                clientGone(ex, cres);
                return;
            }
        } finally {
            if (ex.upstreamEndNanos() == 0) {
                ex.upstreamEndNanos(System.nanoTime());
            }
        }
    }

    /**
     * Reads the entity's end (-1) after its last byte, which is what lets Helidon pool the connection:
     * closing a response whose stream never returned -1 closes the connection instead (every call then
     * opened a new one: half the throughput). A backend sending more than it announced is not read.
     */
    private static boolean endOfEntity(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException | RuntimeException e) {
            return false; // the normal loop meets the same failure on its next read
        }
    }

    /**
     * The upstream answer is complete: count its tokens, hand the connection back, and store a
     * cacheable answer before the caller sees the end, so the caller's next request finds it.
     */
    private static void completeUpstream(Exchange ex, UsageMeter meter, HttpClientResponse cres,
                                         ProxyHooks.AnswerSink capture) {
        ex.upstreamEndNanos(System.nanoTime());
        meter.finish();
        ex.usage(meter.promptTokens(), meter.completionTokens());
        cres.close();
        if (capture != null) {
            capture.complete();
        }
    }

    private static void commitHeaders(Exchange ex, ServerResponse res, HttpClientResponse cres, Backend backend,
                                      Route route, int status) {
        res.status(status);
        for (Header h : cres.headers()) {
            if (!RESPONSE_DROP.contains(h.name().toLowerCase(Locale.ROOT))) {
                res.header(HeaderValues.create(h.name(), h.allValues()));
            }
        }
        cres.headers().contentLength().ifPresent(len -> res.header(HeaderNames.CONTENT_LENGTH, Long.toString(len)));
        res.header("X-Request-ID", ex.requestId());
        res.header("X-Upstream", route.id() + "#" + (route.backends().indexOf(backend) + 1));
        if (ex.fallbackFrom() != null) {
            res.header("X-Atrium-Fallback", ex.fallbackFrom() + "->" + route.id());
        }
        if (ex.cacheStatus() != null) {
            res.header("X-Cache", ex.cacheStatus());
        }
    }

    /** The caller went away: drop the upstream connection so the engine stops generating. */
    private static void clientGone(Exchange ex, HttpClientResponse cres) {
        ex.upstreamEndNanos(System.nanoTime());
        ex.errorCode("CLIENT_CLOSED");
        ex.status(499);
        abortUpstream(cres);
        throw new CloseConnectionException("client closed the connection");
    }

    private static void midStreamFailure(Exchange ex, UsageMeter meter, OutputStream out, HttpClientResponse cres,
                                         boolean timedOut) {
        ErrorCode code = timedOut ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_ERROR;
        ex.errorCode(code.name());
        meter.finish();
        ex.usage(meter.promptTokens(), meter.completionTokens());
        if (meter.sse()) {
            String event = "event: error\ndata: {\"error\":{\"message\":\"The model server "
                    + (timedOut ? "stopped responding" : "closed the connection") + " in the middle of the answer\","
                    + "\"type\":\"upstream_error\",\"code\":\"" + code.name() + "\"}}\n\n";
            try {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException | RuntimeException ignored) {
                // the client is gone as well
            }
        }
        abortUpstream(cres);
        // Abort the client's connection without a proper end of the chunked body: the caller sees a
        // failed transfer, never a complete-looking answer.
        throw new CloseConnectionException("upstream failed mid-answer");
    }

    /**
     * Helidon closes (rather than drains and pools) a connection whose chunked answer was not read
     * to the end, so closing the response here stops the upstream generation.
     */
    private static void abortUpstream(HttpClientResponse cres) {
        try {
            cres.close();
        } catch (RuntimeException ignored) {
            // already broken
        }
    }

    static boolean connectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase().contains("connect")) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("failed to connect") || m.contains("connection refused")) {
                return true;
            }
        }
        return false;
    }

    static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    /** The client's upload, counted (failover is only safe while nothing was sent) and bounded. */
    static final class CountingBody {
        private final InputStream in;
        private final long max;
        private long count;
        private boolean started;
        private boolean tooLarge;
        private boolean clientBroken;

        CountingBody(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        void copyTo(OutputStream os) throws IOException {
            started = true;
            byte[] buf = new byte[BUFFER];
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException | RuntimeException e) {
                    clientBroken = true;
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                count += n;
                if (count > max) {
                    tooLarge = true;
                    throw new IOException("request body exceeds the limit");
                }
                os.write(buf, 0, n);
            }
        }

        long count() {
            return count;
        }

        boolean started() {
            return started;
        }

        boolean tooLarge() {
            return tooLarge;
        }

        boolean clientBroken() {
            return clientBroken;
        }
    }

    /** Stops the stream watchdog. */
    @Override
    public void close() {
        watchdog.close();
    }
}
