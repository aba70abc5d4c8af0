package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.UsageRow;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, items 9 and 8. A backend that ends its answer by closing the connection (HTTP/1.0, or
 * HTTP/1.1 {@code Connection: close} without a length: valid, RFC 9112 6.3) is relayed as a
 * complete answer, its usage counted, no error logged, and an SSE caller gets no error event after
 * {@code [DONE]}. The response cache stores only complete 2xx JSON answers.
 */
class CloseDelimitedTest {
    static final String JSON = "{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"close-delimited\"}}],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}";
    static final String SSE = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n";

    @Test
    void closeDelimitedAnswersAreCompleteCountedAndNotErrors() throws Exception {
        List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getLoggerName() != null
                        && r.getLoggerName().startsWith("org.atrium.gateway.proxy")) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (StubBackend stub = new StubBackend((req, res) -> {
            String head;
            String body;
            if (req.bodyText().contains("\"stream\":true")) {
                head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
                body = SSE;
            } else if (req.target().contains("http10")) {
                head = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n";
                body = JSON;
            } else {
                head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
                body = JSON;
            }
            res.raw(head.getBytes(StandardCharsets.US_ASCII));
            res.raw(body.getBytes(StandardCharsets.UTF_8));
            Thread.sleep(20);
            res.close();
        });
             TestGateway gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + TestGateway.route("cd", stub.url()))) {
            String token = gw.token("closer", "default", "cd");
            for (String path : List.of("/api/task/cd/v1/chat/completions", "/api/task/cd/http10")) {
                String got = read(gw, path, token, "{\"messages\":[]}");
                assertThat(got).as(path).isEqualTo("status 200\n" + JSON + "\n<clean end>");
            }
            String sse = read(gw, "/v1/chat/completions", token, "{\"model\":\"cd\",\"stream\":true}");
            assertThat(sse).as("SSE").endsWith("data: [DONE]\n\n\n<clean end>").doesNotContain("event: error");
            // usage of all three counted, none an error
            LocalDate day = LocalDate.now(ZoneId.systemDefault());
            UsageRow row = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                gw.server().usage().flush();
                List<UsageRow> rows = gw.server().store().usage(day.minusDays(1), day.plusDays(1), "default");
                row = rows.stream().filter(r -> r.user().equals("closer")).findFirst().orElse(null);
                if (row != null && row.requests() == 3) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(row).isNotNull();
            assertThat(row.requests()).isEqualTo(3);
            assertThat(row.errors()).isZero();
            assertThat(row.promptTokens()).isEqualTo(5 + 5 + 3);
            assertThat(row.completionTokens()).isEqualTo(4 + 4 + 2);
            assertThat(warnings).as("warnings logged").isEmpty();
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void onlyComplete2xxJsonAnswersAreCached() throws Exception {
        String[] answers = {
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\nnot json!",
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"truncated\":",
            "HTTP/1.1 500 X\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
        };
        int[] which = {0};
        try (StubBackend stub = new StubBackend((req, res) -> {
            res.raw(answers[which[0]].getBytes(StandardCharsets.US_ASCII));
            if (which[0] == 2) {
                res.die();
            }
        });
             TestGateway gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                     + "  - id: cached\n    cache: true\n    backends:\n      - url: " + stub.url() + "\n")) {
            String token = gw.token("u", "default", "cached");
            for (int i = 0; i < answers.length; i++) {
                which[0] = i;
                String body = "{\"model\":\"cached\",\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"}]}";
                int before = stub.received().size();
                HttpResponse<String> first;
                try {
                    first = gw.post("/v1/chat/completions", token, body);
                } catch (java.io.UncheckedIOException broken) {
                    first = null; // the truncated answer: a broken transfer
                }
                HttpResponse<String> second;
                try {
                    second = gw.post("/v1/chat/completions", token, body);
                } catch (java.io.UncheckedIOException broken) {
                    second = null;
                }
                boolean good = i == answers.length - 1;
                if (good) {
                    assertThat(second.headers().firstValue("x-cache")).hasValue("HIT");
                    assertThat(stub.received().size() - before).isEqualTo(1);
                } else {
                    assertThat(second == null ? null : second.headers().firstValue("x-cache").orElse(null))
                            .as("answer " + i + " was served from the cache").isNotEqualTo("HIT");
                    assertThat(stub.received().size() - before).as("answer " + i + " asked the backend twice").isEqualTo(2);
                }
                assertThat(first == null || first.statusCode() > 0).isTrue();
            }
        }
    }

    private static String read(TestGateway gw, String path, String token, String body) throws Exception {
        HttpResponse<InputStream> r = gw.http().send(HttpRequest.newBuilder(URI.create(gw.base() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder got = new StringBuilder("status " + r.statusCode() + "\n");
        try (InputStream in = r.body()) {
            got.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            got.append("\n<clean end>");
        } catch (IOException broken) {
            got.append("\n<broken transfer>");
        }
        return got.toString();
    }
}
