package org.atrium.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.route.Decision;
import org.atrium.gateway.security.Principal;
import org.atrium.model.Json;
import org.atrium.model.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written line is byte for byte what Jackson wrote before (ESCAPE_NON_ASCII). */
class AccessLogTest {
    @Test
    void stringsAreEscapedAsJacksonEscapesThem() throws IOException {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x800; c++) {
            all.append(c);
        }
        all.append("\uD83D\uDE00 end \uFFFF \uD800");
        for (String s : List.of("", "plain", "/api/task/a b/%2F?x=\"y\"\\z", "\u00e9l\u00e8ve \u6771\u4eac", all.toString())) {
            StringBuilder b = new StringBuilder();
            AccessLog.quote(b, s);
            assertThat(b.toString()).isEqualTo(jackson(s));
        }
    }

    @Test
    void lineHasTheFieldsJacksonWrote() throws IOException {
        Exchange ex = new Exchange("req-1", Exchange.Kind.OPENAI, "POST", "/v1/chat/completions?x=\u00e9",
                Instant.parse("2026-12-02T04:41:33.883123Z"), System.nanoTime() - 5_000_000, "10.0.0.1", "10.0.0.2",
                "Bearer x", 12);
        assertThat(normalise(AccessLog.line(ex))).isEqualTo(normalise(reference(ex)));
        ex.principal(new Principal("u\"1", "ward-a", List.of("*"), null, "jti-1", Instant.EPOCH, Instant.EPOCH, Priority.NORMAL));
        ex.taskId("chat");
        ex.pick(Decision.AFFINITY);
        ex.status(200);
        ex.errorCode("UPSTREAM_ERROR");
        ex.bytesIn(12);
        ex.addBytesOut(345);
        ex.queueNanos(1_234_567);
        ex.upstreamStartNanos(System.nanoTime() - 3_000_000);
        ex.upstreamEndNanos(ex.upstreamStartNanos() + 2_345_678);
        ex.firstByteNanos(ex.upstreamStartNanos() + 1_000_001);
        ex.usage(12, 0);
        ex.cacheStatus("MISS");
        assertThat(normalise(AccessLog.line(ex))).isEqualTo(normalise(reference(ex)));
    }

    @Test
    void linesReachTheFileAndCloseWritesTheRest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(file);
        Exchange ex = new Exchange("req-2", Exchange.Kind.TASK, "GET", "/api/task/t/x", Instant.now(), System.nanoTime(),
                "10.0.0.1", "10.0.0.1", null, -1);
        for (int i = 0; i < 1000; i++) {
            log.log(ex);
        }
        log.close();
        assertThat(Files.readAllLines(file)).hasSize(1000).allMatch(l -> l.startsWith("{\"time\":\"") && l.contains("\"request_id\":\"req-2\""));
    }

    /** total_ms is measured when the line is made: the same in both once its value is blanked. */
    private static String normalise(String line) {
        return line.replaceAll("\"total_ms\":[0-9.E-]+", "\"total_ms\":0");
    }

    private static String jackson(String s) throws IOException {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(sw)) {
            g.enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
            g.writeString(s);
        }
        return sw.toString();
    }

    /** The line as the Jackson-based writer made it before. */
    private static String reference(Exchange ex) throws IOException {
        StringWriter sw = new StringWriter(320);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(sw)) {
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
        }
        return sw.toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
