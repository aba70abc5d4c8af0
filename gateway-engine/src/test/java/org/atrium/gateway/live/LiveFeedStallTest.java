package org.atrium.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.gateway.config.GatewayConfig;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.security.TokenVerifier;
import org.atrium.gateway.telemetry.live.LiveHistory;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that completes the upgrade and then never reads is dropped once its queue is full,
 * while a reading client keeps getting every frame. Frames are published by the test (a fake,
 * fast tick) and made large so the socket buffers fill in a second rather than minutes.
 */
class LiveFeedStallTest {
    static final String TOKEN = "stall-test-admin-token-0123456789abcdef";
    LiveFeed feed;
    WebServer server;
    ScheduledExecutorService timer;

    @BeforeEach
    void start() {
        feed = new LiveFeed(new LiveHistory(600), 32, 8);
        timer = Executors.newSingleThreadScheduledExecutor();
        TokenVerifier verifier = new TokenVerifier(GatewayConfig.defaults().jwt(),
                "x".repeat(48).getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), jti -> false);
        LiveFeedEndpoint endpoint = new LiveFeedEndpoint(feed, new AdminAuth(TOKEN, verifier), "127.0.0.1",
                Duration.ofSeconds(5), timer);
        server = WebServer.builder().host("127.0.0.1").port(0)
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(64 * 1024).build())
                .routing(r -> r.register("/admin/v1", endpoint))
                .addRouting(WsRouting.builder().endpoint("/admin/v1/live", endpoint::newListener))
                .build().start();
    }

    @AfterEach
    void stop() {
        feed.close();
        server.stop();
        timer.shutdownNow();
    }

    /** About 50 KB of JSON. */
    static LiveFrame bigFrame(int n) {
        List<TenantLive> tenants = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tenants.add(new TenantLive("tenant-" + i + "-" + "x".repeat(100), n, i, 1, 2, 0, 0, 0, null));
        }
        return new LiveFrame(Instant.ofEpochMilli(n), null, tenants, null, null);
    }

    @Test
    void stalledClientIsDroppedWhileOthersContinue() throws Exception {
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        OutputStream out = stalled.getOutputStream();
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /admin/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + TOKEN
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = stalled.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        // from here on the raw client never reads again

        try (WsProbe good = WsProbe.connect("ws://127.0.0.1:" + server.port() + "/admin/v1/live",
                Map.of("Authorization", "Bearer " + TOKEN)).probe()) {
            waitFor(() -> feed.clients() == 2, Duration.ofSeconds(5));
            int published = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (feed.clients() == 2 && System.nanoTime() < deadline) {
                feed.publish(bigFrame(published++));
                Thread.sleep(5);
            }
            assertThat(feed.clients()).as("stalled client dropped after %d frames", published).isEqualTo(1);
            // the reading client keeps going, with every frame in order
            for (int i = 0; i < 5; i++) {
                feed.publish(bigFrame(published++));
                Thread.sleep(20);
            }
            List<WsProbe.Message> got = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (got.size() < published && System.nanoTime() < until) {
                got.addAll(good.drain(Duration.ofMillis(200)));
            }
            assertThat(got).hasSize(published);
            assertThat(got.getLast().frame().at().toEpochMilli()).isEqualTo(published - 1);
            assertThat(good.closed).isNotDone();
        } finally {
            stalled.close();
        }
    }

    @Test
    void tooManyClientsAreRefused() throws Exception {
        List<WsProbe> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                open.add(WsProbe.connect("ws://127.0.0.1:" + server.port() + "/admin/v1/live",
                        Map.of("Authorization", "Bearer " + TOKEN)).probe());
            }
            waitFor(() -> feed.clients() == 8, Duration.ofSeconds(5));
            WsProbe ninth = WsProbe.connect("ws://127.0.0.1:" + server.port() + "/admin/v1/live",
                    Map.of("Authorization", "Bearer " + TOKEN)).probe();
            open.add(ninth);
            assertThat(ninth.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).startsWith("1013");
            open.getFirst().socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye");
            waitFor(() -> feed.clients() == 7, Duration.ofSeconds(5));
        } finally {
            open.forEach(WsProbe::close);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier ok, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(10);
        }
    }
}
