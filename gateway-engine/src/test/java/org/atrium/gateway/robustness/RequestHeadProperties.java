package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.atrium.gateway.robustness.RawHttp.Answer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;

/**
 * Issue 12, "how it is shown": random request heads (header names and values, including
 * underscores, control characters and Latin-1 bytes) and random framing (lengths, transfer codings,
 * chunk sizes, with a request smuggled behind the body) sent over raw sockets. Properties: never a
 * 5xx, never a forwarded header name with an underscore or a value with a control character, and
 * never a second request through — the smuggled one never reaches the backend.
 */
class RequestHeadProperties {
    static StubBackend stub;
    static TestGateway gw;
    static String token;

    @BeforeContainer
    static void start() throws IOException {
        stub = StubBackend.openAi();
        gw = TestGateway.start("server:\n  max_body_bytes: 4096\nlimits:\n  ip_requests_per_minute: 0\n"
                + "  user_requests_per_minute: 0\n  user_max_concurrent: 0\nroutes:\n"
                + "  - id: task_001\n    aliases: [m]\n    backends:\n      - url: " + stub.url() + "\n");
        token = gw.token("alice", "default", "task_001", "m");
    }

    @AfterContainer
    static void stop() throws IOException {
        gw.close();
        stub.close();
    }

    record Head(String name, String value) {
    }

    @Provide
    Arbitrary<Head> headers() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ-_019!#$%&'*+.^`|~").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.strings()
                .withChars("ab Z09;,=\"/\t\u0000\u0001\u001f\u007f\u00e9\u00ff%")
                .ofMaxLength(20);
        return Combinators.combine(names, values).as(Head::new);
    }

    @Provide
    Arbitrary<String> framing() {
        String body = "{\"model\":\"m\"}";
        return Arbitraries.of(
                "Content-Length: " + body.length() + "\r\n\r\n" + body,
                "Content-Length: " + body.length() + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                "Content-Length: +" + body.length() + "\r\n\r\n" + body,
                "Content-Length: -1\r\n\r\n" + body,
                "Content-Length: 2\r\n\r\n" + body,
                "Content-Length: " + body.length() + ", 2\r\n\r\n" + body,
                "Content-Length: 99999999999999999999\r\n\r\n" + body,
                "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked, identity\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: xchunked\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: gzip, chunked\r\n\r\nd\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: identity\r\n\r\n" + body,
                "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\n-d\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n",
                "\r\n" + body);
    }

    @Property(tries = 150)
    void randomHeadsAndFramingNeverGive5xxForwardJunkOrASecondRequest(
            @ForAll("headers") Head h1, @ForAll("headers") Head h2, @ForAll("framing") String framing,
            @ForAll boolean openAi) throws Exception {
        String marker = "SMUGGLED" + System.nanoTime();
        String target = openAi ? "/v1/chat/completions" : "/api/task/task_001/v1/chat/completions";
        String request = "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + h1.name() + ": " + h1.value() + "\r\n" + h2.name() + ": " + h2.value() + "\r\n" + framing
                + "GET /api/task/task_001/" + marker + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        int before = stub.received().size();
        Answer a;
        try (Socket s = new Socket("127.0.0.1", gw.server().dataPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            a = RawHttp.read(in);
            try {
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as("a second answer").isEmpty();
            } catch (SocketException reset) {
                // closed: nothing more
            }
        }
        assertThat(a.status()).as(a.raw()).isBetween(200, 499);
        a.assertNoLeak(":" + stub.port());
        List<StubBackend.Received> seen = stub.received().subList(before, stub.received().size());
        assertThat(seen.size()).as("upstream requests").isLessThanOrEqualTo(1);
        for (StubBackend.Received r : seen) {
            assertThat(r.target()).doesNotContain("SMUGGLED");
            for (Map.Entry<String, String> e : r.headers().entrySet()) {
                assertThat(e.getKey()).as("forwarded name").doesNotContain("_");
                assertThat(e.getValue().chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f))
                        .as("forwarded value of " + e.getKey() + " has a control character").isTrue();
            }
        }
    }
}
