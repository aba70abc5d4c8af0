package org.atrium.gateway.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.model.Json;
import org.atrium.model.LiveFrame;

/**
 * One live-feed connection: a bounded queue of serialised frames and a virtual sender thread that
 * writes the history, then the queue, to the socket. Only the sender writes; {@link #drop} from
 * any thread interrupts it, which on a virtual thread also aborts a write blocked on a client
 * that stopped reading (the JDK closes the socket), and ends the connection's reader.
 */
final class LiveClient {
    private static final Logger LOG = Logger.getLogger(LiveClient.class.getName());

    private final WsSession session;
    private final String who;
    private final List<LiveFrame> history;
    private final BlockingQueue<String> queue;
    private final Consumer<LiveClient> onEnd;
    private volatile String dropReason;
    private volatile Thread sender;

    LiveClient(WsSession session, String who, List<LiveFrame> history, int queueFrames, Consumer<LiveClient> onEnd) {
        this.session = session;
        this.who = who;
        this.history = history;
        this.queue = new ArrayBlockingQueue<>(queueFrames);
        this.onEnd = onEnd;
    }

    void start() {
        sender = Thread.ofVirtual().name("atrium-live-send").start(this::run);
    }

    /** Queues a frame; false when the queue is full (the client is too far behind) or it was dropped. */
    boolean offer(String json) {
        return dropReason == null && queue.offer(json);
    }

    /** Ends this client from any thread; the sender closes the connection. */
    void drop(String reason) {
        if (dropReason != null) {
            return;
        }
        dropReason = reason;
        Thread t = sender;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        try {
            for (LiveFrame f : history) {
                if (dropReason != null) {
                    return;
                }
                session.send(Json.mapper().writeValueAsString(f), true);
            }
            while (dropReason == null) {
                session.send(queue.take(), true);
            }
        } catch (InterruptedException e) {
            // dropped
        } catch (JsonProcessingException | RuntimeException e) {
            if (dropReason == null) {
                dropReason = "send failed";
                LOG.log(Level.FINE, "Live feed: sending to " + who + " failed", e);
            }
        } finally {
            queue.clear();
            onEnd.accept(this);
            end();
        }
    }

    /** Best-effort close frame, then make sure the connection's reader stops and the socket closes. */
    private void end() {
        Thread.interrupted(); // a blocked write was already aborted; do not abort the close frame too
        try {
            session.close(WsCloseCodes.VIOLATED_POLICY, dropReason == null ? "closed" : dropReason);
        } catch (RuntimeException ignored) {
            // the socket is already gone
        }
        if (session instanceof ServerConnection c) {
            c.close(true);
        }
    }

    /** Ends the client because the connection ended (the session must not be used any more). */
    void closedByPeer() {
        drop("closed by peer");
    }

    @Override
    public String toString() {
        return "live client " + who;
    }
}
