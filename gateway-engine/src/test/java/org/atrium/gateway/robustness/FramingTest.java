package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.atrium.gateway.robustness.RawHttp.Answer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 1: a request whose framing is ambiguous or unsupported is answered 400 and its
 * connection is really closed, so nothing sent after it (a smuggled request) is ever read. Raw
 * sockets: each case carries a complete second request behind the bad one.
 */
class FramingTest {
    static StubBackend stub;
    static TestGateway gw;
    static int port;
    static String token;

    @BeforeAll
    static void start() {
        try {
            stub = StubBackend.openAi();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\nroutes:\n"
                + TestGateway.route("task_001", stub.url()));
        port = gw.server().dataPort();
        token = gw.token("alice", "default", "task_001");
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
        stub.close();
    }

    /** What came back on one connection: the first answer and whether the server then closed it. */
    record Outcome(Answer answer, boolean closed, String after) {
    }

    static Outcome exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            Answer a = RawHttp.read(in);
            byte[] rest;
            try {
                rest = in.readAllBytes(); // returns only once the server closed (else the timeout fails the case)
            } catch (SocketException reset) {
                return new Outcome(a, true, "");
            }
            return new Outcome(a, true, new String(rest, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void badFramingIs400AndTheConnectionIsClosedWithNothingReadAfterIt() throws Exception {
        String smuggled = "GET /api/task/task_001/SMUGGLED HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        String head = "POST /api/task/task_001/in HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\n";
        String chunked = "2\r\n{}\r\n0\r\n\r\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("two identical Content-Length", head + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + smuggled);
        cases.put("two different Content-Length", head + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + smuggled);
        cases.put("Content-Length list", head + "Content-Length: 2, 2\r\n\r\n{}" + smuggled);
        cases.put("Content-Length +2", head + "Content-Length: +2\r\n\r\n{}" + smuggled);
        cases.put("Content-Length -1", head + "Content-Length: -1\r\n\r\n{}" + smuggled);
        cases.put("Content-Length 0x2", head + "Content-Length: 0x2\r\n\r\n{}" + smuggled);
        cases.put("Content-Length and Transfer-Encoding", head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked + smuggled);
        cases.put("Transfer-Encoding chunked, identity", head + "Transfer-Encoding: chunked, identity\r\n\r\n" + chunked + smuggled);
        cases.put("Transfer-Encoding xchunked", head + "Transfer-Encoding: xchunked\r\n\r\n" + chunked + smuggled);
        cases.put("Transfer-Encoding gzip, chunked", head + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked + smuggled);
        cases.put("Transfer-Encoding identity", head + "Transfer-Encoding: identity\r\n\r\n{}" + smuggled);
        cases.put("Transfer-Encoding chunked twice", head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked + smuggled);
        cases.put("bad chunk size after a good chunk", head + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n" + smuggled);
        cases.put("invalid method token G@T", "G@T /api/task/task_001/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\n\r\n" + smuggled);
        cases.put("control character in the method", "G\u0001T /health HTTP/1.1\r\nHost: x\r\n\r\n" + smuggled);
        for (var c : cases.entrySet()) {
            int before = stub.received().size();
            Outcome o = exchange(c.getValue());
            assertThat(o.answer().status()).as(c.getKey() + " → " + o.answer().raw()).isEqualTo(400);
            assertThat(RawHttp.code(o.answer().body())).as(c.getKey()).isEqualTo("BAD_REQUEST");
            assertThat(o.answer().header("connection")).as(c.getKey()).isEqualToIgnoringCase("close");
            o.answer().assertNoLeak(":" + stub.port());
            assertThat(o.closed()).as(c.getKey() + ": connection closed").isTrue();
            assertThat(o.after()).as(c.getKey() + ": nothing answered after the refusal").isEmpty();
            Thread.sleep(50);
            assertThat(stub.received().subList(before, stub.received().size()))
                    .as(c.getKey() + ": upstream").noneSatisfy(r -> assertThat(r.target()).contains("SMUGGLED"));
        }
        // a caller that says Connection: close gets its answer, and what it pipelined behind is not read
        Outcome closing = exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + smuggled);
        assertThat(closing.answer().status()).isEqualTo(200);
        assertThat(closing.after()).isEmpty();
        int before = stub.received().size();
        Outcome closingCall = exchange("GET /api/task/task_001/first HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n" + smuggled);
        assertThat(closingCall.answer().status()).isEqualTo(200);
        assertThat(closingCall.after()).isEmpty();
        Thread.sleep(50);
        assertThat(stub.received().subList(before, stub.received().size())).extracting(StubBackend.Received::target)
                .containsExactly("/first");
        // a well-framed pipelined pair still gets two answers (the refusals above are not over-eager)
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            RawHttp.write(s.getOutputStream(), head + "Transfer-Encoding: chunked\r\n\r\n" + chunked + smuggled);
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
            assertThat(stub.last().target()).isEqualTo("/SMUGGLED");
        }
    }
}
