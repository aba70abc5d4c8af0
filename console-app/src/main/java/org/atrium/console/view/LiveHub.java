package org.atrium.console.view;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.client.LiveListener;
import org.atrium.model.LiveFrame;

/**
 * Takes live frames on the client's threads and hands them to the UI in batches: however fast frames
 * arrive (a 10-minute history burst on connect), the UI thread runs at most one drain at a time.
 *
 * <p>Frames are merged by their timestamp: one at or before the newest frame already delivered (the
 * history a reconnect replays) is dropped, so every sink sees time strictly increasing. The hub also
 * says whether what is shown is live: {@link #staleProperty()} is true while the feed is not
 * connected, or has been silent for {@link #STALE_AFTER} (checked by {@link #tick()}).
 */
public final class LiveHub implements LiveListener {
    /** Never queue more than this many undelivered frames (10 minutes at 1/s). */
    static final int MAX_PENDING = 600;

    private final Executor ui;
    private final ConcurrentLinkedQueue<LiveFrame> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<Consumer<List<LiveFrame>>> sinks = new CopyOnWriteArrayList<>();
    private final ObjectProperty<ConnectionState> state = new SimpleObjectProperty<>(ConnectionState.DISCONNECTED);
    private final StringProperty detail = new SimpleStringProperty();
    private final ObjectProperty<LiveFrame> latest = new SimpleObjectProperty<>();
    private final BooleanProperty stale = new SimpleBooleanProperty(true);
    private final ObjectProperty<Instant> lastData = new SimpleObjectProperty<>();
    private final Clock clock;
    private Instant lastReceived;

    /** A connected feed silent this long is shown as stale (the gateway sends a frame a second). */
    public static final Duration STALE_AFTER = Duration.ofSeconds(3);

    public LiveHub(Executor ui) {
        this(ui, Clock.systemUTC());
    }

    public LiveHub(Executor ui, Clock clock) {
        this.ui = ui;
        this.clock = clock;
    }

    /** @param sink called on the UI thread with frames oldest first */
    public void addSink(Consumer<List<LiveFrame>> sink) {
        sinks.add(sink);
    }

    public ObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    public StringProperty detailProperty() {
        return detail;
    }

    public ObjectProperty<LiveFrame> latestProperty() {
        return latest;
    }

    /** True when nothing shown is live: not connected, or no frame for {@link #STALE_AFTER}. UI thread. */
    public ReadOnlyBooleanProperty staleProperty() {
        return stale;
    }

    /** The gateway's time of the newest frame shown; null before the first. UI thread. */
    public ObjectProperty<Instant> lastDataProperty() {
        return lastData;
    }

    /** Re-checks silence; the app calls it once a second on the UI thread. */
    public void tick() {
        updateStale();
    }

    private void updateStale() {
        boolean silent = lastReceived == null
                || Duration.between(lastReceived, clock.instant()).compareTo(STALE_AFTER) > 0;
        stale.set(state.get() != ConnectionState.CONNECTED || silent);
    }

    @Override
    public void onFrame(LiveFrame frame) {
        pending.add(frame);
        if (pendingCount.incrementAndGet() > MAX_PENDING && pending.poll() != null) {
            pendingCount.decrementAndGet();
        }
        if (scheduled.compareAndSet(false, true)) {
            ui.execute(this::drain);
        }
    }

    @Override
    public void onState(ConnectionState s, String why) {
        ui.execute(() -> {
            state.set(s);
            detail.set(why);
            updateStale();
        });
    }

    private void drain() {
        scheduled.set(false);
        List<LiveFrame> batch = new ArrayList<>();
        LiveFrame f;
        while ((f = pending.poll()) != null) {
            pendingCount.decrementAndGet();
            if (f.at() != null) {
                batch.add(f);
            }
        }
        batch.sort(Comparator.comparing(LiveFrame::at));
        Instant newest = lastData.get();
        List<LiveFrame> fresh = new ArrayList<>(batch.size());
        for (LiveFrame x : batch) {
            if (newest == null || x.at().isAfter(newest)) {
                fresh.add(x);
                newest = x.at();
            }
        }
        batch = fresh;
        if (batch.isEmpty()) {
            return;
        }
        lastReceived = clock.instant();
        lastData.set(newest);
        updateStale();
        for (Consumer<List<LiveFrame>> sink : sinks) {
            sink.accept(batch);
        }
        latest.set(batch.get(batch.size() - 1));
    }
}
