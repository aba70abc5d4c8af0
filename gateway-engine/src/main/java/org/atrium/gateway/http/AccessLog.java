package org.atrium.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.model.Json;

/**
 * One JSON line per data-path request, written by a background thread so the request path never
 * waits on the disk. Never the prompt, the answer or a raw token: identity is the user id and the
 * token's {@code jti}. When the queue is full (disk stalled), lines are dropped and counted.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    private static final ObjectMapper JSON = Json.mapper();

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
    private final Writer out;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    private AccessLog(Writer out) {
        this.out = out;
        this.writer = out == null ? null : Thread.ofPlatform().daemon().name("atrium-access-log").start(this::drain);
    }

    /** Appends to {@code file}. */
    public static AccessLog toFile(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new AccessLog(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)));
    }

    public static AccessLog toStdout() {
        return new AccessLog(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    }

    public static AccessLog disabled() {
        return new AccessLog(null);
    }

    public void log(Exchange ex) {
        if (closed || writer == null) {
            return;
        }
        String line = line(ex);
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    static String line(Exchange ex) {
        StringWriter sw = new StringWriter(320);
        try (JsonGenerator g = JSON.getFactory().createGenerator(sw)) {
            g.enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
            long end = System.nanoTime();
            g.writeStartObject();
            g.writeStringField("time", ex.receivedAt().toString());
            g.writeStringField("request_id", ex.requestId());
            g.writeStringField("client_ip", ex.clientIp());
            g.writeStringField("method", ex.method());
            g.writeStringField("path", ex.path());
            field(g, "tenant", ex.tenantId());
            field(g, "user", ex.userId());
            field(g, "jti", ex.principal() == null ? null : ex.principal().jti());
            field(g, "route", ex.route() == null ? null : ex.route().id());
            field(g, "model", ex.kind() == Exchange.Kind.OPENAI ? ex.taskId() : null);
            field(g, "backend", ex.backend() == null ? null : ex.backend().url());
            field(g, "pick", ex.pick() == null ? null : ex.pick().wire());
            g.writeNumberField("status", ex.status());
            field(g, "code", ex.errorCode());
            g.writeNumberField("bytes_in", ex.bytesIn());
            g.writeNumberField("bytes_out", ex.bytesOut());
            g.writeNumberField("total_ms", (end - ex.startNanos()) / 1e6);
            if (ex.queueNanos() > 0) {
                g.writeNumberField("queue_ms", ex.queueNanos() / 1e6);
            }
            if (ex.upstreamStartNanos() > 0) {
                long upEnd = ex.upstreamEndNanos() > 0 ? ex.upstreamEndNanos() : end;
                g.writeNumberField("upstream_ms", (upEnd - ex.upstreamStartNanos()) / 1e6);
            }
            if (ex.firstByteNanos() > 0) {
                g.writeNumberField("ttfb_ms", (ex.firstByteNanos() - ex.startNanos()) / 1e6);
            }
            if (ex.promptTokens() >= 0) {
                g.writeNumberField("prompt_tokens", ex.promptTokens());
            }
            if (ex.completionTokens() >= 0) {
                g.writeNumberField("completion_tokens", ex.completionTokens());
            }
            field(g, "cache", ex.cacheStatus());
            g.writeEndObject();
        } catch (IOException e) {
            return "{\"error\":\"access log line failed\"}";
        }
        return sw.toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private void drain() {
        try {
            while (!closed || !queue.isEmpty()) {
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                out.write(line);
                out.write('\n');
                String next;
                while ((next = queue.poll()) != null) {
                    out.write(next);
                    out.write('\n');
                }
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    out.write("{\"time\":\"" + Instant.now() + "\",\"dropped_lines\":" + d + "}\n");
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warning("Access log writing failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (writer == null) {
            return;
        }
        try {
            writer.join(2_000);
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // best effort on shutdown
        }
    }
}
