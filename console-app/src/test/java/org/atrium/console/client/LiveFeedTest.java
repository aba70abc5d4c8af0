package org.atrium.console.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.atrium.console.Frames;
import org.atrium.model.Json;
import org.atrium.model.LiveFrame;
import org.junit.jupiter.api.Test;

/** The live feed against a stub WebSocket server: frames arrive, and it reconnects by itself. */
class LiveFeedTest {
    final List<LiveFrame> frames = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    final LiveListener listener = new LiveListener() {
        @Override
        public void onFrame(LiveFrame f) {
            frames.add(f);
        }

        @Override
        public void onState(ConnectionState s, String detail) {
            states.add(s);
        }
    };

    static String json(LiveFrame f) throws Exception {
        return Json.mapper().writeValueAsString(f);
    }

    @Test
    void receivesFramesAndReconnectsAfterTheGatewayDropsTheSocket() throws Exception {
        Instant t = Instant.parse("2026-11-22T08:00:00Z");
        try (StubLiveServer stub = new StubLiveServer("s3cret", List.of(json(Frames.at(t, 0)), "not json",
                json(Frames.at(t.plusSeconds(1), 1))));
             HttpAdminClient client = new HttpAdminClient(new GatewayTarget(URI.create("http://127.0.0.1:" + stub.port()), "s3cret"),
                     Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(1500))) {
            var sub = client.subscribeLive(listener);
            waitFor(() -> stub.connections.get() >= 2 && frames.size() >= 4);
            sub.close();
            assertThat(frames.get(0).gpus()).hasSize(8);
            // the bad message in between was skipped, the frame after it still arrived
            assertThat(frames).extracting(LiveFrame::at).contains(t, t.plusSeconds(1));
            assertThat(stub.authHeaders).allMatch("Bearer s3cret"::equals);
            assertThat(states).contains(ConnectionState.CONNECTED, ConnectionState.RETRYING);
            assertThat(states.get(states.size() - 1)).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    /**
     * Each reconnect replays the gateway's recent history, overlapping what the console already drew,
     * and after an outage there is a hole in time. Every chart series must stay strictly increasing in
     * time with no duplicates, and the hole must stay a hole (a NaN break), not a line across it.
     */
    @Test
    void reconnectsMergeTheReplayedHistoryByTimestamp() throws Exception {
        Instant t = Instant.parse("2026-11-22T08:00:00Z");
        java.util.function.IntFunction<List<String>> history = n -> {
            // connection 1: seconds 0-9; 2: 5-14 (overlap); 3: 5-14 again plus 30-34 after a 15 s outage
            int from = n == 1 ? 0 : 5;
            int to = n == 1 ? 9 : 14;
            List<String> out = new java.util.ArrayList<>();
            try {
                for (int i = from; i <= to; i++) {
                    out.add(json(Frames.at(t.plusSeconds(i), i)));
                }
                for (int i = 30; n >= 3 && i <= 34; i++) {
                    out.add(json(Frames.at(t.plusSeconds(i), i)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        };
        java.util.concurrent.BlockingQueue<Runnable> ui = new java.util.concurrent.LinkedBlockingQueue<>();
        org.atrium.console.view.LiveHub hub = new org.atrium.console.view.LiveHub(ui::add);
        var live = new org.atrium.console.view.live.LiveViewModel(hub, 600);
        var gpus = new org.atrium.console.view.gpus.GpusViewModel(hub, 600);
        try (StubLiveServer stub = new StubLiveServer("s3cret", history);
             HttpAdminClient client = new HttpAdminClient(new GatewayTarget(URI.create("http://127.0.0.1:" + stub.port()), "s3cret"),
                     Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(1500))) {
            var sub = client.subscribeLive(hub);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            // the "UI thread" is this one: run what the hub hands over until the third history has landed
            while (!(stub.connections.get() >= 3 && hub.lastDataProperty().get() != null
                    && hub.lastDataProperty().get().equals(t.plusSeconds(34)))) {
                Runnable r = ui.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.run();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the third connection's history did not arrive");
                }
            }
            sub.close();
        }
        List<org.atrium.console.view.RingSeries> all = new java.util.ArrayList<>();
        live.tenants().forEach(h -> java.util.Arrays.stream(org.atrium.console.view.live.LiveViewModel.Metric.values())
                .forEach(mt -> all.add(h.series(mt))));
        gpus.gpus().forEach(g -> all.addAll(List.of(g.util(), g.memoryPercent(), g.temperature(), g.power())));
        assertThat(all).hasSize(3 * 4 + 8 * 4);
        for (var s : all) {
            for (int i = 1; i < s.size(); i++) {
                assertThat(s.x(i)).as("strictly increasing at " + i).isGreaterThan(s.x(i - 1));
            }
            // seconds 0-14, one NaN break after 14, then 30-34
            assertThat(s.size()).isEqualTo(15 + 1 + 5);
            assertThat(s.y(15)).isNaN();
            assertThat(s.x(16) - s.x(14)).isEqualTo(16);
        }
    }

    @Test
    void aRefusedTokenIsReportedAndANewTargetReconnectsAtOnce() throws Exception {
        try (StubLiveServer stub = new StubLiveServer("right", List.of(json(Frames.at(Instant.now(), 0))));
             HttpAdminClient client = new HttpAdminClient(new GatewayTarget(URI.create("http://127.0.0.1:" + stub.port()), "wrong"),
                     Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(1500))) {
            var sub = client.subscribeLive(listener);
            waitFor(() -> states.contains(ConnectionState.UNAUTHORIZED));
            client.retarget(new GatewayTarget(URI.create("http://127.0.0.1:" + stub.port()), "right"));
            waitFor(() -> !frames.isEmpty());
            sub.close();
            assertThat(stub.authHeaders).contains("Bearer wrong", "Bearer right");
        }
    }

    private static void waitFor(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(20);
        }
    }
}
