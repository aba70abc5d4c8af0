package org.atrium.gateway.proxy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Enforces a route's read timeout: on the answer's head for connections from
 * {@link UpstreamConnections} (which carry no socket timeout), and while an answer streams, where
 * Helidon's client does not apply its read timeout reliably to a chunked body, so a backend that
 * stalls mid-stream would hold the caller until it writes again. One daemon thread checks every
 * active call four times a second and aborts the ones silent for longer than their timeout.
 */
final class StreamWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamWatchdog.class.getName());
    private static final long PERIOD_MILLIS = 250;

    private final Set<Handle> active = ConcurrentHashMap.newKeySet();

    private final Thread thread;

    StreamWatchdog() {
        thread = new Thread(this::loop, "atrium-stream-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        thread.interrupt();
    }

    /** Starts watching; {@code onTimeout} runs once (on the watchdog thread) if the stream goes silent. */
    Handle watch(Duration timeout, Runnable onTimeout) {
        Handle h = new Handle(timeout.toNanos(), onTimeout);
        active.add(h);
        return h;
    }

    private void loop() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Handle h : active) {
                if (now - h.lastActivity > h.timeoutNanos && active.remove(h)) { // not closed meanwhile
                    h.fired = true;
                    try {
                        h.onTimeout.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "Aborting a stalled stream failed", e);
                    }
                }
            }
        }
    }

    /** One watched stream. */
    final class Handle implements AutoCloseable {
        private final long timeoutNanos;
        private final Runnable onTimeout;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean fired;

        private Handle(long timeoutNanos, Runnable onTimeout) {
            this.timeoutNanos = timeoutNanos;
            this.onTimeout = onTimeout;
        }

        /** Data arrived: the silence starts again. */
        void touch() {
            lastActivity = System.nanoTime();
        }

        /** Whether the watchdog aborted this stream. */
        boolean fired() {
            return fired;
        }

        /** Stops watching: true unless the watchdog has fired (or is firing) on this one. */
        boolean cancel() {
            return active.remove(this);
        }

        @Override
        public void close() {
            cancel();
        }
    }
}
