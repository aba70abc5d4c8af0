package org.atrium.gateway.telemetry.live;

import java.util.ArrayDeque;
import java.util.List;
import org.atrium.model.LiveFrame;

/** The last {@code capacity} live frames (600 = ten minutes at one a second) for history-on-connect. */
public final class LiveHistory {
    public static final int TEN_MINUTES = 600;

    private final int capacity;
    private final ArrayDeque<LiveFrame> frames;

    public LiveHistory() {
        this(TEN_MINUTES);
    }

    public LiveHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(capacity);
    }

    public synchronized void add(LiveFrame frame) {
        if (frames.size() == capacity) {
            frames.pollFirst();
        }
        frames.addLast(frame);
    }

    /** Oldest first: what a newly connected client receives before the live frames. */
    public synchronized List<LiveFrame> recent() {
        return List.copyOf(frames);
    }

    public synchronized int size() {
        return frames.size();
    }
}
