package org.atrium.console.view;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.client.LiveListener;
import org.atrium.model.LiveFrame;

/**
 * Takes live frames on the client's threads and hands them to the UI in batches: however fast frames
 * arrive (a 10-minute history burst on connect), the UI thread runs at most one drain at a time.
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

    public LiveHub(Executor ui) {
        this.ui = ui;
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
        });
    }

    private void drain() {
        scheduled.set(false);
        List<LiveFrame> batch = new ArrayList<>();
        LiveFrame f;
        while ((f = pending.poll()) != null) {
            pendingCount.decrementAndGet();
            batch.add(f);
        }
        if (batch.isEmpty()) {
            return;
        }
        for (Consumer<List<LiveFrame>> sink : sinks) {
            sink.accept(batch);
        }
        latest.set(batch.get(batch.size() - 1));
    }
}
