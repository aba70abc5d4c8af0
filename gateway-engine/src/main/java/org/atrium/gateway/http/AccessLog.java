package org.atrium.gateway.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.atrium.gateway.pipeline.Exchange;

/**
 * One JSON line per data-path request, written by a background thread so the request path never
 * waits on the disk. Never the prompt, the answer or a raw token: identity is the user id and the
 * token's {@code jti}. When the queue is full (disk stalled), lines are dropped and counted.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());

    /** How long a line may wait before it is written (nginx's buffered access log waits up to 1 s). */
    static final long FLUSH_MILLIS = 100;

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
        // one write system call per 64 KiB of lines
        return new AccessLog(new OutputStreamWriter(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024),
                StandardCharsets.UTF_8));
    }

    public static AccessLog toStdout() {
        return new AccessLog(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
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

    /**
     * The line as Jackson wrote it with {@code ESCAPE_NON_ASCII} (same fields, order, escapes and
     * number forms), by hand: the generator, its writer and its buffers were ~6 % of CPU per call.
     */
    static String line(Exchange ex) {
        long end = System.nanoTime();
        StringBuilder b = new StringBuilder(512); // a usual line is 400-450 characters
        b.append('{');
        string(b, "time", ex.receivedAtText());
        string(b, "request_id", ex.requestId());
        string(b, "client_ip", ex.clientIp());
        string(b, "method", ex.method());
        string(b, "path", ex.path());
        string(b, "tenant", ex.tenantId());
        string(b, "user", ex.userId());
        string(b, "jti", ex.principal() == null ? null : ex.principal().jti());
        string(b, "route", ex.route() == null ? null : ex.route().id());
        string(b, "model", ex.kind() == Exchange.Kind.OPENAI ? ex.taskId() : null);
        string(b, "backend", ex.backend() == null ? null : ex.backend().url());
        string(b, "pick", ex.pick() == null ? null : ex.pick().wire());
        name(b, "status").append(ex.status());
        string(b, "code", ex.errorCode());
        name(b, "bytes_in").append(ex.bytesIn());
        name(b, "bytes_out").append(ex.bytesOut());
        name(b, "total_ms").append((end - ex.startNanos()) / 1e6);
        if (ex.queueNanos() > 0) {
            name(b, "queue_ms").append(ex.queueNanos() / 1e6);
        }
        if (ex.upstreamStartNanos() > 0) {
            long upEnd = ex.upstreamEndNanos() > 0 ? ex.upstreamEndNanos() : end;
            name(b, "upstream_ms").append((upEnd - ex.upstreamStartNanos()) / 1e6);
        }
        if (ex.firstByteNanos() > 0) {
            name(b, "ttfb_ms").append((ex.firstByteNanos() - ex.startNanos()) / 1e6);
        }
        if (ex.promptTokens() >= 0) {
            name(b, "prompt_tokens").append(ex.promptTokens());
        }
        if (ex.completionTokens() >= 0) {
            name(b, "completion_tokens").append(ex.completionTokens());
        }
        string(b, "cache", ex.cacheStatus());
        return b.append('}').toString();
    }

    private static StringBuilder name(StringBuilder b, String name) {
        if (b.length() > 1) {
            b.append(',');
        }
        return b.append('"').append(name).append("\":");
    }

    private static void string(StringBuilder b, String name, String value) {
        if (value != null) {
            name(b, name);
            quote(b, value);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string as Jackson escapes it: short escapes where JSON has them, else {@code \\uXXXX}. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        int plain = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        if (plain == 0) {
            b.append(s); // nothing to escape: the usual case, copied whole
        } else {
            b.append(s, plain, s.length());
        }
        b.append('"');
    }

    /**
     * Writes what has queued up every {@link #FLUSH_MILLIS}, in one batch. The writer is never woken
     * per line: waking it for each call (a futex wake, a switch to its thread, a write system call
     * for one line and back) cost the request path more than formatting the line.
     */
    private void drain() {
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                boolean last = closed; // read before draining: nothing offered before close() is left behind
                queue.drainTo(batch);
                for (String line : batch) {
                    out.write(line);
                    out.write('\n');
                }
                batch.clear();
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    out.write("{\"time\":\"" + Instant.now() + "\",\"dropped_lines\":" + d + "}\n");
                }
                out.flush();
                if (last) {
                    return;
                }
                LockSupport.parkNanos(FLUSH_MILLIS * 1_000_000L); // close() unparks
            }
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
        LockSupport.unpark(writer);
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
