package org.atrium.gateway.proxy;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.common.uri.UriQuery;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientProtocolConfig;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
    /**
     * The relay reads into a small buffer first and grows it only when reads fill it: an open SSE
     * stream (events of a few hundred bytes) then holds 2 KiB instead of 8, which matters at 10,000
     * open streams; a large answer still moves in 16 KiB reads after its first few. A read returns
     * what has arrived, so the size never delays a chunk.
     */
    // Header names made once; values go in as immutable headers, which Helidon keeps as they are
    // (a writable one is copied when set: ~27 % of the bytes allocated per call in the JFR profile).
    private static final HeaderName X_USER_ID = HeaderNames.create("X-User-ID");
    private static final HeaderName X_TENANT_ID = HeaderNames.create("X-Tenant-ID");
    private static final HeaderName X_AUTHENTICATED_AT = HeaderNames.create("X-Authenticated-At");
    private static final HeaderName X_TASK_ID = HeaderNames.create("X-Task-ID");
    private static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-ID");
    private static final HeaderName X_REAL_IP = HeaderNames.create("X-Real-IP");
    private static final HeaderName X_UPSTREAM = HeaderNames.create("X-Upstream");
    private static final int BUFFER_START = 2 * 1024;
    private static final int BUFFER_MAX = 16 * 1024;

    private final StreamWatchdog watchdog = new StreamWatchdog();
    private final UpstreamConnections connections = new UpstreamConnections();

    private final Map<Integer, Http1Client> clients = new ConcurrentHashMap<>();
    private final ProxyHooks hooks;

    public UpstreamProxy() {
        this(ProxyHooks.NONE);
    }

    public UpstreamProxy(ProxyHooks hooks) {
        this.hooks = hooks;
    }

    /**
     * HTTP/1.1 directly: the generic client would negotiate the protocol on every call (~4 % of CPU).
     * The headers it sends are not validated again: the caller's were when the server parsed them,
     * Atrium's own are built from those, from sanitised token claims and from the route's key, which
     * {@link RouteSpec} checks when it is configured. The backend's answer headers still are.
     */
    private Http1Client client(int connectTimeoutSeconds) {
        return clients.computeIfAbsent(connectTimeoutSeconds, s -> WebClient.builder()
                .followRedirects(false)
                .proxy(Proxy.noProxy()) // backends are reached directly (and no Proxy-Connection header is added)
                .keepAlive(true)
                .connectionCacheSize(256)
                .socketOptions(o -> o.connectTimeout(Duration.ofSeconds(s)).tcpNoDelay(true))
                .sendExpectContinue(false)
                .servicesDiscoverServices(false)
                .build()
                .client(Http1Client.PROTOCOL, Http1ClientProtocolConfig.builder().validateRequestHeaders(false).build()));
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
        if (ex.body() == null && hasBody(req)) {
            // The caller's body is read whole (bounded by the body limit) before anything goes
            // upstream and before a backend slot is taken: a body over the limit (chunked or not),
            // malformed or cut short by a caller who goes away is refused here as the caller's fault,
            // so it never holds a slot, never counts against the backend's health or circuit and never
            // leaves a half-sent request open upstream. It can then be sent again to the next backend
            // on failover, and the inference balancer reads its prompt prefix.
            ex.body(ex.bodyReader().read(maxBodyBytes));
            ex.bytesIn(ex.body().length);
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
            HttpClientResponse cres;
            long started = System.nanoTime();
            ex.upstreamStartNanos(started);
            try {
                try {
                    cres = hooks.guard(backend, () -> {
                        HttpClientResponse r = send(ex, req, backend, spec, forwardedFor, scheme);
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
                boolean reached = !connectFailure(e);
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
                                    String scheme) {
        Duration readTimeout = Duration.ofSeconds(spec.readTimeoutSeconds());
        Http1ClientRequest creq = client(spec.connectTimeoutSeconds())
                .method(Method.create(ex.method()))
                .uri(cachedTarget(backend.uri(), ex.upstreamPath()))
                .readTimeout(readTimeout);
        query(creq, ex.upstreamPath());
        copyRequestHeaders(req, creq, ex, forwardedFor, scheme, spec);
        if (!"http".equalsIgnoreCase(backend.uri().getScheme())) {
            return submit(ex, req, creq); // TLS backends: Helidon's pool (and its socket timeout)
        }
        ClientConnection conn = connections.take(backend.uri(), Duration.ofSeconds(spec.connectTimeoutSeconds()));
        creq.connection(conn);
        StreamWatchdog.Handle watch = watchdog.watch(readTimeout, conn::closeResource);
        HttpClientResponse cres;
        try {
            cres = submit(ex, req, creq);
        } catch (RuntimeException e) {
            conn.closeResource();
            throw watch.cancel() ? e : readTimedOut(readTimeout, e);
        }
        if (!watch.cancel()) { // the head came as the watchdog closed the connection
            cres.close();
            throw readTimedOut(readTimeout, null);
        }
        return cres;
    }

    private static HttpClientResponse submit(Exchange ex, ServerRequest req, Http1ClientRequest creq) {
        return ex.body() == null || ex.body().length == 0 && !hasBody(req)
                ? NoLength.of(creq).request() : creq.submit(ex.body());
    }

    /** What a socket timeout reported before the watchdog timed the answer's head. */
    private static UncheckedIOException readTimedOut(Duration readTimeout, Throwable cause) {
        SocketTimeoutException e = new SocketTimeoutException("Read timed out: no answer within " + readTimeout.toSeconds() + " s");
        if (cause != null) {
            e.initCause(cause);
        }
        return new UncheckedIOException(e);
    }

    /** The last target URI made for a backend base URL: its calls mostly go to the same path. */
    private record Target(String upstreamPath, URI uri) {
    }

    private final Map<URI, Target> lastTargets = new ConcurrentHashMap<>();

    /** {@link #target}, reused while a backend's calls keep the same path (building and parsing the URI was ~2 % of CPU per call). */
    private URI cachedTarget(URI base, String upstreamPath) {
        Target last = lastTargets.get(base);
        if (last != null && last.upstreamPath().equals(upstreamPath)) {
            return last.uri();
        }
        URI uri = target(base, upstreamPath);
        lastTargets.put(base, new Target(upstreamPath, uri));
        return uri;
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
        Set<String> connectionOptions = ForwardedHeaders.connectionOptions(req.headers());
        for (Header h : req.headers()) {
            if (ForwardedHeaders.forwardRequestHeader(h, connectionOptions)) {
                creq.header(h); // as parsed: immutable, so Helidon keeps it instead of copying a rebuilt one
            }
        }
        if (ex.principal() != null) {
            creq.header(HeaderValues.createCached(X_USER_ID, ForwardedHeaders.identity(ex.principal().user())));
            creq.header(HeaderValues.createCached(X_TENANT_ID, ForwardedHeaders.identity(ex.tenantId())));
            creq.header(HeaderValues.createCached(X_AUTHENTICATED_AT, ex.receivedAtText()));
        }
        creq.header(HeaderValues.createCached(X_TASK_ID, ex.route().id()));
        creq.header(HeaderValues.createCached(X_REQUEST_ID, ex.requestId()));
        creq.header(HeaderValues.createCached(X_REAL_IP, ex.clientIp()));
        creq.header(HeaderValues.createCached(HeaderNames.X_FORWARDED_FOR, forwardedFor));
        creq.header(HeaderValues.createCached(HeaderNames.X_FORWARDED_PROTO, scheme));
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
        byte[] buf = new byte[BUFFER_START];
        InputStream raw = RawBody.stream(cres);
        InputStream in = raw != null ? raw : cres.inputStream();
        OutputStream out = null;
        // A length-delimited answer is complete for the caller with its last byte, so the upstream side
        // is finished (connection back in the pool) before that byte goes out: otherwise the caller's
        // next request can race this one's connection release, which Helidon 4.2's pool mishandles
        // (helidon#10861: the idle monitor steals the next answer's first byte → a spurious 502).
        long expected = cres.headers().contentLength().orElse(-1);
        // No length and not chunked (HTTP/1.0, or Connection: close without a length): the answer
        // ends when the backend closes the connection (RFC 9112 6.3), which is not a failure.
        boolean closeDelimited = expected < 0 && !cres.headers().containsToken(HeaderValues.TRANSFER_ENCODING_CHUNKED);
        long relayed = 0;
        Duration readTimeout = Duration.ofSeconds(route.spec().readTimeoutSeconds());
        try (StreamWatchdog.Handle watch = watchdog.watch(readTimeout, () -> abortUpstream(cres, readTimeout))) {
            if (raw != null) {
                RawBody.readTimeout(cres, Duration.ZERO); // the watchdog times the body instead: see RawBody
            }
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                    watch.touch();
                } catch (IOException | RuntimeException e) {
                    if (closeDelimited && !watch.fired() && endOfInput(e)) {
                        n = -1; // the backend closed the connection: that is how this answer ends
                        raw = null; // and the connection is not reused
                    } else {
                        upstreamFailed(ex, meter, out, cres, readTimeout, backend, watch.fired() || timeout(e));
                        return;
                    }
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
                    completeUpstream(ex, meter, cres, readTimeout, raw != null && !closeDelimited, capture);
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
                    completeUpstream(ex, meter, cres, readTimeout, raw != null && !closeDelimited, capture);
                }
                try {
                    out.write(buf, 0, n);
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    clientGone(ex, cres, readTimeout);
                    return;
                }
                ex.addBytesOut(n);
                if (last) {
                    break;
                }
                if (n == buf.length && buf.length < BUFFER_MAX) {
                    buf = new byte[buf.length * 2];
                }
            }
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                clientGone(ex, cres, readTimeout);
                return;
            }
        } finally {
            if (ex.upstreamEndNanos() == 0) {
                ex.upstreamEndNanos(System.nanoTime());
            }
        }
    }

    /** The upstream read failed (or timed out): an error answer while nothing went out, else a cut stream. */
    private static void upstreamFailed(Exchange ex, UsageMeter meter, OutputStream out, HttpClientResponse cres,
                                       Duration readTimeout, Backend backend, boolean timedOut) throws Rejection {
        ex.upstreamEndNanos(System.nanoTime());
        backend.recordFailure();
        if (out == null) {
            // Nothing went to the caller yet: an honest error answer is still possible.
            abortUpstream(cres, readTimeout);
            throw new Rejection(timedOut ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_ERROR);
        }
        midStreamFailure(ex, meter, out, cres, readTimeout, timedOut);
    }

    /** The connection reached its end (Helidon's reader reports a peer close as missing data). */
    static boolean endOfInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
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
    private static void completeUpstream(Exchange ex, UsageMeter meter, HttpClientResponse cres, Duration readTimeout,
                                         boolean rawEnded, ProxyHooks.AnswerSink capture) {
        ex.upstreamEndNanos(System.nanoTime());
        meter.finish();
        ex.usage(meter.promptTokens(), meter.completionTokens());
        RawBody.readTimeout(cres, readTimeout); // before the connection goes back to the pool
        if (rawEnded) {
            RawBody.fullyRead(cres); // what Helidon's entity stream does at its end: marks it reusable, releases it
        }
        cres.close();
        if (capture != null) {
            capture.complete();
        }
    }

    private static void commitHeaders(Exchange ex, ServerResponse res, HttpClientResponse cres, Backend backend,
                                      Route route, int status) {
        res.status(status);
        Set<String> connectionOptions = ForwardedHeaders.connectionOptions(cres.headers());
        for (Header h : cres.headers()) {
            if (ForwardedHeaders.forwardResponseHeader(h, connectionOptions)) {
                res.header(h);
            }
        }
        cres.headers().contentLength().ifPresent(len -> res.header(HeaderNames.CONTENT_LENGTH, Long.toString(len)));
        res.header(HeaderValues.createCached(X_REQUEST_ID, ex.requestId()));
        res.header(HeaderValues.createCached(X_UPSTREAM, route.id() + "#" + (route.backends().indexOf(backend) + 1)));
        if (ex.fallbackFrom() != null) {
            res.header("X-Atrium-Fallback", ex.fallbackFrom() + "->" + route.id());
        }
        if (ex.cacheStatus() != null) {
            res.header("X-Cache", ex.cacheStatus());
        }
    }

    /** The caller went away: drop the upstream connection so the engine stops generating. */
    private static void clientGone(Exchange ex, HttpClientResponse cres, Duration readTimeout) {
        ex.upstreamEndNanos(System.nanoTime());
        ex.errorCode("CLIENT_CLOSED");
        ex.status(499);
        abortUpstream(cres, readTimeout);
        throw new CloseConnectionException("client closed the connection");
    }

    private static void midStreamFailure(Exchange ex, UsageMeter meter, OutputStream out, HttpClientResponse cres,
                                         Duration readTimeout, boolean timedOut) {
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
        abortUpstream(cres, readTimeout);
        // Abort the client's connection without a proper end of the chunked body: the caller sees a
        // failed transfer, never a complete-looking answer.
        throw new CloseConnectionException("upstream failed mid-answer");
    }

    /**
     * Helidon closes (rather than drains and pools) a connection whose chunked answer was not read
     * to the end, so closing the response here stops the upstream generation.
     */
    private static void abortUpstream(HttpClientResponse cres, Duration readTimeout) {
        RawBody.readTimeout(cres, readTimeout); // a buffered length-delimited answer can still go back to the pool
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

    /**
     * The answer's body straight from Helidon's HTTP/1 decoder (its chunked, length or close-delimited
     * stream) instead of {@code HttpClientResponse.inputStream()}, through package-private members of
     * {@code Http1ClientResponseImpl}; without them (another Helidon, or a response of another kind)
     * the relay reads {@code inputStream()} with the socket's read timeout as before. Two costs per
     * relayed chunk go:
     * <ul>
     * <li>The entity stream allocates a new array of the caller's read length for every read, fills it
     * and copies it into the caller's: 2 KiB of garbage per SSE event, and 2 KiB held per open stream.
     * <li>The socket read timeout. A timed read of a virtual thread that has to wait schedules a timer on
     * the ForkJoinPool's delay scheduler and cancels it when the data comes, and each of the two wakes
     * that scheduler's thread. The body is read with none: the {@link StreamWatchdog} enforces the
     * route's timeout while it streams (it also sees the stalls the socket timeout missed). The entity
     * stream could not do that safely: it hands the connection back to the pool inside the read that
     * meets the body's end, and Helidon's idle monitor of a pooled connection takes a timeout of 0
     * as 0.1 s and then fails the next call that takes it. Here the relay sets the route's timeout
     * back first, then marks the body read, which releases the connection.
     * </ul>
     */
    private static final class RawBody {
        private static final MethodHandle STREAM;
        private static final MethodHandle CONNECTION;
        private static final MethodHandle FULLY_READ;
        private static final Class<?> IMPL;

        static {
            Class<?> impl = null;
            MethodHandle stream = null;
            MethodHandle connection = null;
            MethodHandle fullyRead = null;
            try {
                impl = Class.forName("io.helidon.webclient.http1.Http1ClientResponseImpl");
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
                stream = l.findGetter(impl, "inputStream", InputStream.class)
                        .asType(MethodType.methodType(InputStream.class, HttpClientResponse.class));
                connection = l.findVirtual(impl, "connection", MethodType.methodType(ClientConnection.class))
                        .asType(MethodType.methodType(ClientConnection.class, HttpClientResponse.class));
                fullyRead = l.findVirtual(impl, "entityFullyRead", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, HttpClientResponse.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.INFO, "Streamed answers are read through Helidon's entity stream: " + e);
                impl = null;
            }
            IMPL = impl;
            STREAM = stream;
            CONNECTION = connection;
            FULLY_READ = fullyRead;
        }

        private RawBody() {
        }

        /** The decoder's stream, or null: read {@code cres.inputStream()} then. */
        static InputStream stream(HttpClientResponse cres) {
            if (IMPL == null || !IMPL.isInstance(cres)) {
                return null;
            }
            try {
                return (InputStream) STREAM.invokeExact(cres);
            } catch (Throwable e) {
                return null;
            }
        }

        static void readTimeout(HttpClientResponse cres, Duration timeout) {
            if (IMPL == null || !IMPL.isInstance(cres)) {
                return;
            }
            try {
                ((ClientConnection) CONNECTION.invokeExact(cres)).readTimeout(timeout);
            } catch (Throwable e) {
                LOG.log(Level.FINE, "Could not set the read timeout of an upstream connection", e);
            }
        }

        /** The body was read to its end: releases the connection for reuse (closing it when that fails). */
        static void fullyRead(HttpClientResponse cres) {
            try {
                FULLY_READ.invokeExact(cres);
            } catch (Throwable e) {
                LOG.log(Level.FINE, "Could not hand an upstream connection back", e);
            }
        }
    }

    /**
     * A request the caller sent without a body goes upstream without one and without
     * {@code Content-Length: 0} (RFC 9110 8.6; a proxy forwards a GET as sent). Helidon's client writes
     * that header on every bodiless request unless the request is flagged as a redirected output
     * stream, a package-private flag that, at 4.5.0, decides nothing but that header
     * ({@code Http1CallEntityChain}). If the flag is gone in another Helidon, the header stays.
     */
    private static final class NoLength {
        private static final MethodHandle FLAG;
        private static final Class<?> IMPL;

        static {
            Class<?> impl = null;
            MethodHandle flag = null;
            try {
                impl = Class.forName("io.helidon.webclient.http1.Http1ClientRequestImpl");
                flag = MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
                        .findVirtual(impl, "outputStreamRedirect", MethodType.methodType(impl, boolean.class))
                        .asType(MethodType.methodType(void.class, Http1ClientRequest.class, boolean.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.INFO, "Bodiless requests go upstream with Content-Length: 0: " + e);
                impl = null;
            }
            IMPL = impl;
            FLAG = flag;
        }

        private NoLength() {
        }

        static Http1ClientRequest of(Http1ClientRequest creq) {
            if (IMPL != null && IMPL.isInstance(creq)) {
                try {
                    FLAG.invokeExact(creq, true);
                } catch (Throwable e) {
                    LOG.log(Level.FINE, "Could not drop Content-Length: 0 from an upstream request", e);
                }
            }
            return creq;
        }
    }

    /** Stops the stream watchdog and closes the pooled upstream connections. */
    @Override
    public void close() {
        watchdog.close();
        connections.close();
    }
}
