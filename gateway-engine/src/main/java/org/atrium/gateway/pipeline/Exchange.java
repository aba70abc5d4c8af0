package org.atrium.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Decision;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.security.Principal;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;

/**
 * Everything one data-path request accumulates on its way through the pipeline and the proxy:
 * identity, route, timings and counters. Confined to the request's (virtual) thread.
 */
public final class Exchange {
    /** Which API surface the call came in on; decides routing and the error body's shape. */
    public enum Kind { TASK, OPENAI, OTHER }

    private final String requestId;
    private final Kind kind;
    private final String method;
    private final String path;
    private final Instant receivedAt;
    private final long startNanos;
    private final String remoteAddress;
    private final String clientIp;
    private final String authorization;
    private final long contentLength;
    private String receivedAtText;

    private BodyReader bodyReader = max -> new byte[0];
    private String taskId;          // TASK: from the path; OPENAI: the body's model
    private String upstreamPath;    // path (and query) to send to the backend
    private byte[] body;            // OPENAI: the buffered request body
    private ObjectNode json;        // OPENAI: the parsed body
    private boolean stream;
    private Principal principal;
    private TenantSpec tenant;
    private Priority priority = Priority.NORMAL;
    private Route route;
    private Backend backend;
    private Decision pick;
    private String fallbackFrom;
    private boolean answered;
    private String cacheStatus;
    private String cacheKey;
    private String cacheControl;
    private Answer answer;

    private int status;
    private String errorCode;
    private long bytesIn;
    private long bytesOut;
    private long upstreamStartNanos;
    private long firstByteNanos;
    private long upstreamEndNanos;
    private long queueNanos;
    private long promptTokens = -1;
    private long completionTokens = -1;
    private final Deque<Runnable> onComplete = new ArrayDeque<>();

    public Exchange(String requestId, Kind kind, String method, String path, Instant receivedAt, long startNanos,
                    String remoteAddress, String clientIp, String authorization, long contentLength) {
        this.requestId = requestId;
        this.kind = kind;
        this.method = method;
        this.path = path;
        this.receivedAt = receivedAt;
        this.startNanos = startNanos;
        this.remoteAddress = remoteAddress;
        this.clientIp = clientIp;
        this.authorization = authorization;
        this.contentLength = contentLength;
    }

    public String requestId() { return requestId; }
    public Kind kind() { return kind; }
    public String method() { return method; }
    public String path() { return path; }
    public Instant receivedAt() { return receivedAt; }

    /** {@link #receivedAt()} as {@link Instant#toString()} writes it, made once per call. */
    public String receivedAtText() {
        if (receivedAtText == null) {
            receivedAtText = InstantText.of(receivedAt);
        }
        return receivedAtText;
    }

    public long startNanos() { return startNanos; }
    public String remoteAddress() { return remoteAddress; }
    public String clientIp() { return clientIp; }
    public String authorization() { return authorization; }
    public long contentLength() { return contentLength; }

    /** Reads the request body, refusing more than {@code max} bytes with 413. */
    @FunctionalInterface
    public interface BodyReader {
        byte[] read(long max) throws Rejection;
    }

    public BodyReader bodyReader() { return bodyReader; }
    public void bodyReader(BodyReader v) { bodyReader = v; }
    public String taskId() { return taskId; }
    public void taskId(String v) { taskId = v; }
    public String upstreamPath() { return upstreamPath; }
    public void upstreamPath(String v) { upstreamPath = v; }
    public byte[] body() { return body; }
    public void body(byte[] v) { body = v; }
    public ObjectNode json() { return json; }
    public void json(ObjectNode v) { json = v; }
    public boolean stream() { return stream; }
    public void stream(boolean v) { stream = v; }
    public Principal principal() { return principal; }
    public void principal(Principal v) { principal = v; }
    public TenantSpec tenant() { return tenant; }
    public void tenant(TenantSpec v) { tenant = v; }
    public String tenantId() { return tenant != null ? tenant.id() : principal != null ? principal.tenant() : null; }
    public String userId() { return principal == null ? null : principal.user(); }
    public Priority priority() { return priority; }
    public void priority(Priority v) { priority = v; }
    public Route route() { return route; }
    public void route(Route v) { route = v; }
    public Backend backend() { return backend; }
    public void backend(Backend v) { backend = v; }
    /** Which balancer signal chose the backend (access log {@code pick}, decision metrics). */
    public Decision pick() { return pick; }
    public void pick(Decision v) { pick = v; }
    public String fallbackFrom() { return fallbackFrom; }
    public void fallbackFrom(String v) { fallbackFrom = v; }
    public boolean answered() { return answered; }
    public void answered(boolean v) { answered = v; }
    public String cacheStatus() { return cacheStatus; }
    public void cacheStatus(String v) { cacheStatus = v; }
    public String cacheKey() { return cacheKey; }
    public void cacheKey(String v) { cacheKey = v; }
    /** The caller's {@code Cache-Control} header, if any. */
    public String cacheControl() { return cacheControl; }
    public void cacheControl(String v) { cacheControl = v; }

    /** An answer a stage produced itself (a cache hit); the data path sends it instead of proxying. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    public Answer answer() { return answer; }

    /** Answers the call from the gateway: the pipeline stops and the proxy is skipped. */
    public void answer(Answer v) {
        answer = v;
        answered = true;
    }

    public int status() { return status; }
    public void status(int v) { status = v; }
    public String errorCode() { return errorCode; }
    public void errorCode(String v) { errorCode = v; }
    public long bytesIn() { return bytesIn; }
    public void bytesIn(long v) { bytesIn = v; }
    public long bytesOut() { return bytesOut; }
    public void addBytesOut(long n) { bytesOut += n; }
    public long upstreamStartNanos() { return upstreamStartNanos; }
    public void upstreamStartNanos(long v) { upstreamStartNanos = v; }
    public long firstByteNanos() { return firstByteNanos; }
    public void firstByteNanos(long v) { if (firstByteNanos == 0) { firstByteNanos = v; } }
    public long upstreamEndNanos() { return upstreamEndNanos; }
    public void upstreamEndNanos(long v) { upstreamEndNanos = v; }
    public long queueNanos() { return queueNanos; }
    public void queueNanos(long v) { queueNanos = v; }
    public long promptTokens() { return promptTokens; }
    public long completionTokens() { return completionTokens; }

    public void usage(long prompt, long completion) {
        if (prompt >= 0) {
            promptTokens = prompt;
        }
        if (completion >= 0) {
            completionTokens = completion;
        }
    }

    /** Total tokens counted for this call (0 when the backend reported none). */
    public long totalTokens() {
        return Math.max(0, promptTokens) + Math.max(0, completionTokens);
    }

    /** Registers cleanup (release a permit, count usage) run once when the call ends, last first. */
    public void onComplete(Runnable r) {
        onComplete.push(r);
    }

    public Deque<Runnable> completions() {
        return onComplete;
    }

    /** Time the backend was busy with this call, in milliseconds. */
    public long upstreamMillis() {
        return upstreamStartNanos == 0 || upstreamEndNanos == 0 ? 0 : (upstreamEndNanos - upstreamStartNanos) / 1_000_000;
    }
}
