package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/**
 * Connection floods (hardening item 4): a request head has {@code server.header_timeout_seconds},
 * an idle keep-alive connection {@code server.idle_timeout_seconds}, and at
 * {@code server.max_connections} connections that are not in a call make room for new callers, so
 * {@code /health} and real calls answer within a second while thousands of slow sockets are open.
 */
class ConnectionFloodTest {
    static final int FLOOD = 3_000;

    @Test
    void headsAndIdleConnectionsAreClosedOnTheirOwnDeadlines() throws Exception {
        try (StubBackend stub = new StubBackend((req, res) -> {
                Thread.sleep(3_500); // a call longer than the head deadline: never cut by it
                StubBackend.openAiHandler(req, res);
            });
             TestGateway gw = TestGateway.start("server:\n  header_timeout_seconds: 2\n  idle_timeout_seconds: 4\n"
                     + "routes:\n" + TestGateway.route("chat", stub.url()))) {
            int port = gw.server().dataPort();
            String token = gw.token("u", "default", "chat");
            try (Socket silent = open(port);
                 Socket trickling = open(port);
                 Socket idle = open(port);
                 Socket slowCall = open(port)) {
                long t0 = System.nanoTime();
                write(trickling, "GET /health HTTP/1.1\r\nHost: x\r\n");
                write(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(RawHttp.read(idle.getInputStream()).status()).isEqualTo(200);
                long idleSince = System.nanoTime();
                write(slowCall, call(token, false));

                // a byte every 300 ms keeps no head alive past its deadline
                Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 40; i++) {
                        if (!write(trickling, "X-" + i + ": a\r\n")) {
                            return;
                        }
                        sleep(300);
                    }
                });

                assertThat(secondsUntilClosed(silent, t0)).as("silent new connection").isBetween(1.5, 4.5);
                assertThat(secondsUntilClosed(trickling, t0)).as("trickling head").isBetween(1.5, 4.5);
                assertThat(secondsUntilClosed(idle, idleSince)).as("idle keep-alive").isBetween(3.5, 7.0);
                RawHttp.Answer slow = RawHttp.read(slowCall.getInputStream());
                assertThat(slow.status()).as("a 3.5 s call is not cut by the 2 s head deadline").isEqualTo(200);
            }

            // idle for a while, then a head sent slowly: its deadline runs from its first byte
            try (Socket s = open(port)) {
                write(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
                Thread.sleep(2_500);
                write(s, "GET /health HTTP/1.1\r\n");
                Thread.sleep(1_000);
                write(s, "Host: x\r\n\r\n");
                assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
            }
            String metrics = gw.server().metrics().scrape();
            assertThat(metrics).contains("atrium_connections_closed_total{reason=\"header_timeout\"}")
                    .contains("atrium_connections_closed_total{reason=\"idle_timeout\"}");
        }
    }

    @Test
    void aRequestBodyThatStopsArrivingClosesItsConnection() throws Exception {
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("server:\n  body_timeout_seconds: 2\n"
                     + "routes:\n" + TestGateway.route("chat", stub.url()))) {
            int port = gw.server().dataPort();
            String token = gw.token("u", "default", "chat");
            String body = "{\"model\":\"chat\",\"messages\":[]}";
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
            try (Socket stalled = open(port); Socket slowButMoving = open(port)) {
                long t0 = System.nanoTime();
                write(stalled, head + "{\"model\":");
                write(slowButMoving, head);
                Thread.ofVirtual().start(() -> { // a byte every 120 ms, 3.5 s in all: slower than the 2 s, never stalled
                    for (char ch : body.toCharArray()) {
                        sleep(120);
                        if (!write(slowButMoving, String.valueOf(ch))) {
                            return;
                        }
                    }
                });
                assertThat(secondsUntilClosed(stalled, t0)).as("stalled body").isBetween(1.5, 4.5);
                RawHttp.Answer slow = RawHttp.read(slowButMoving.getInputStream());
                assertThat(slow.status()).as("a body that keeps arriving, however slowly, is served").isEqualTo(200);
                assertThat(stub.received()).as("only the complete body went upstream").hasSize(1);
            }
            assertThat(gw.server().metrics().scrape()).contains("atrium_connections_closed_total{reason=\"body_timeout\"} 1.0");
        }
    }

    @Test
    void aFloodOfSlowConnectionsNeitherBlocksHealthNorRealCalls() throws Exception {
        int max = 1_000;
        try (StubBackend stub = StubBackend.openAi();
             TestGateway gw = TestGateway.start("server:\n  max_connections: " + max + "\n"
                     + "limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\n  user_max_concurrent: 0\nroutes:\n"
                     + TestGateway.route("chat", stub.url()))) {
            int port = gw.server().dataPort();
            String token = gw.token("u", "default", "chat");
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = open(port);
                    if (i % 2 == 1) {
                        // a slowloris start: part of a head, more bytes later
                        write(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
                    }
                    flood.add(s);
                }
                long worst = 0;
                for (int round = 0; round < 10; round++) {
                    for (int i = 1; i < flood.size(); i += 20) {
                        write(flood.get(i), "X-Slow-" + round + ": a\r\n");
                    }
                    long c0 = System.nanoTime();
                    RawHttp.Answer health = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    RawHttp.Answer real = RawHttp.send(port, call(token, true));
                    long ms = (System.nanoTime() - c0) / 1_000_000;
                    worst = Math.max(worst, ms);
                    assertThat(health.status()).as(health.raw()).isEqualTo(200);
                    assertThat(real.status()).as(real.raw()).isEqualTo(200);
                }
                System.out.printf("flood of %d slow sockets at max_connections=%d: slowest /health + real call %d ms%n",
                        FLOOD, max, worst);
                assertThat(worst).as("slowest /health + real call during the flood (ms)").isLessThan(1_000);
                assertThat(gw.server().connections().open()).isLessThanOrEqualTo(max);
                assertThat(gw.server().connections().evicted()).isGreaterThanOrEqualTo(FLOOD - max);
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }

    @Test
    void whenEveryConnectionIsInACallANewOneIsRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (StubBackend stub = new StubBackend((req, res) -> {
                release.await(20, TimeUnit.SECONDS);
                StubBackend.openAiHandler(req, res);
            });
             TestGateway gw = TestGateway.start("server:\n  max_connections: 3\n"
                     + "limits:\n  user_max_concurrent: 0\nroutes:\n" + TestGateway.route("chat", stub.url()))) {
            int port = gw.server().dataPort();
            String token = gw.token("u", "default", "chat");
            List<Socket> busy = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = open(port);
                    write(s, call(token, false));
                    busy.add(s);
                }
                assertThat(TestGateway.eventually(() -> stub.received().size(), n -> n == 3)).isEqualTo(3);
                long t0 = System.nanoTime();
                RawHttp.Answer refused = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
                assertThat(refused.body()).contains("\"code\":\"TOO_MANY_CONNECTIONS\"");
                assertThat(refused.header("retry-after")).isEqualTo("1");
                assertThat(ms).isLessThan(1_000);
                release.countDown();
                for (Socket s : busy) {
                    assertThat(RawHttp.read(s.getInputStream()).status()).as("the calls in progress finish").isEqualTo(200);
                }
            } finally {
                release.countDown();
                for (Socket s : busy) {
                    s.close();
                }
            }
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static String call(String token, boolean close) {
        String body = "{\"model\":\"chat\",\"messages\":[]}";
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
    }

    /** Writes, and says whether the socket still took it. */
    private static boolean write(Socket s, String text) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Seconds from {@code since} until the server closed {@code s} (reads until end of stream). */
    private static double secondsUntilClosed(Socket s, long since) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // the server may answer before closing; we only wait for the close
            }
        } catch (SocketTimeoutException e) {
            return Double.POSITIVE_INFINITY;
        } catch (SocketException e) {
            // reset: closed
        }
        return (System.nanoTime() - since) / 1e9;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
