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
