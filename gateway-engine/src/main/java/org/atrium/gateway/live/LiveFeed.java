package org.atrium.gateway.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.telemetry.live.LiveHistory;
import org.atrium.model.Json;
import org.atrium.model.LiveFrame;

/**
 * Fans live frames out to the connected clients. {@link #publish} (the tick thread) serialises a
 * frame once and offers it to every client's bounded queue without blocking; each client's own
 * sender thread writes to its socket. A client whose queue is full has fallen behind and is
 * dropped, so a stalled console can neither slow the others nor grow memory. A new client gets
 * the history ring first, then every frame published after its history snapshot, with no gap
 * and no duplicate.
 */
public final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

    private final LiveHistory history;
    private final int queueFrames;
    private final int maxClients;
    private final Set<LiveClient> clients = new CopyOnWriteArraySet<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    /**
     * @param queueFrames frames a client may be behind before it is dropped
     * @param maxClients  clients at most; more are refused
     */
    public LiveFeed(LiveHistory history, int queueFrames, int maxClients) {
        this.history = history;
        this.queueFrames = queueFrames;
        this.maxClients = maxClients;
    }

    /** Adds the frame to the history and queues it for every client. Never blocks on a socket. */
    public void publish(LiveFrame frame) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            LOG.log(Level.WARNING, "Cannot serialise a live frame", e);
            return;
        }
        synchronized (lock) {
            history.add(frame);
            for (LiveClient c : clients) {
                if (!c.offer(json)) {
                    LOG.info(() -> "Live feed: dropping " + c + ", " + queueFrames + " frames behind");
                    c.drop("too slow");
                }
            }
        }
    }

    /**
     * Registers an authenticated session and starts its sender; null when the feed is full or closed
     * (the caller closes the session).
     */
    LiveClient join(WsSession session, String who) {
        LiveClient c;
        synchronized (lock) {
            if (closed || clients.size() >= maxClients) {
                return null;
            }
            List<LiveFrame> recent = history.recent();
            c = new LiveClient(session, who, recent, queueFrames, this::leave);
            clients.add(c);
        }
        c.start();
        LOG.fine(() -> "Live feed: " + who + " connected (" + clients.size() + " clients)");
        return c;
    }

    void leave(LiveClient c) {
        if (clients.remove(c)) {
            LOG.fine(() -> "Live feed: " + c + " left (" + clients.size() + " clients)");
        }
    }

    public int clients() {
        return clients.size();
    }

    public LiveHistory history() {
        return history;
    }

    @Override
    public void close() {
        closed = true;
        for (LiveClient c : clients) {
            c.drop("gateway stopping");
        }
        clients.clear();
    }
}
