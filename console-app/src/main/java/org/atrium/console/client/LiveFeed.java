package org.atrium.console.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.model.LiveFrame;

/**
 * One subscription to {@code WS /admin/v1/live}. Reconnects with backoff whenever the socket fails
 * or closes, so a gateway restart only shows as a short gap.
 */
final class LiveFeed implements AdminClient.LiveSubscription {
    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());
    /** Frames are small; anything bigger is not a frame we want to buffer. */
    private static final int MAX_MESSAGE_CHARS = 8 * 1024 * 1024;
    private static final Duration UNAUTHORIZED_RETRY = Duration.ofSeconds(15);

    private final HttpClient http;
    private final Supplier<GatewayTarget> target;
    private final LiveListener listener;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final ObjectMapper mapper;
    private final Consumer<LiveFeed> onClose;
    private final Duration staleAfter;
    private volatile long lastMessageNanos;
    private ScheduledFuture<?> watchdog;
    private final Object lock = new Object();
    private boolean closed;
    private int generation;
    private WebSocket socket;
    private ScheduledFuture<?> pending;

    LiveFeed(HttpClient http, Supplier<GatewayTarget> target, LiveListener listener, ScheduledExecutorService scheduler,
             Backoff backoff, ObjectMapper mapper, Consumer<LiveFeed> onClose, Duration staleAfter) {
        this.http = http;
        this.target = target;
        this.listener = listener;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.mapper = mapper;
        this.onClose = onClose;
        this.staleAfter = staleAfter;
    }

    void start() {
        long period = Math.max(100, staleAfter.toMillis() / 2);
        watchdog = scheduler.scheduleAtFixedRate(this::checkStale, period, period, TimeUnit.MILLISECONDS);
        connect();
    }

    /**
     * The gateway sends a frame every second. A silent socket is dead even without an error: a
     * rebooted host or a dropped NAT entry never sends the FIN that would tell us.
     */
    private void checkStale() {
        int gen;
        synchronized (lock) {
            if (closed || socket == null) {
                return;
            }
            gen = generation;
        }
        if (System.nanoTime() - lastMessageNanos > staleAfter.toNanos()) {
            failed(gen, new IllegalStateException("no live frame for " + staleAfter.toSeconds() + " s"));
        }
    }

    void reconnectNow() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            generation++;
            if (pending != null) {
                pending.cancel(false);
            }
            if (socket != null) {
                socket.abort();
                socket = null;
            }
            backoff.reset();
        }
        connect();
    }

    private void connect() {
        int gen;
        synchronized (lock) {
            if (closed) {
                return;
            }
            gen = generation;
        }
        listener.onState(ConnectionState.CONNECTING, null);
        GatewayTarget t = target.get();
        String ws = t.baseUri().toString().replaceFirst("^http", "ws") + "/admin/v1/live";
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!t.adminToken().isEmpty()) {
            b.header("Authorization", "Bearer " + t.adminToken());
        }
        b.buildAsync(java.net.URI.create(ws), new Handler(gen)).whenComplete((s, err) -> {
            if (err != null) {
                failed(gen, err);
                return;
            }
            synchronized (lock) {
                if (closed || gen != generation) {
                    s.abort();
                    return;
                }
                socket = s;
                lastMessageNanos = System.nanoTime();
            }
            backoff.reset();
            listener.onState(ConnectionState.CONNECTED, null);
        });
    }

    private void failed(int gen, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        boolean unauthorized = cause instanceof WebSocketHandshakeException h
                && (h.getResponse().statusCode() == 401 || h.getResponse().statusCode() == 403);
        Duration delay;
        synchronized (lock) {
            if (closed || gen != generation) {
                return;
            }
            generation++;
            if (socket != null) {
                socket.abort();
            }
            socket = null;
            delay = unauthorized ? UNAUTHORIZED_RETRY : backoff.next();
            int next = generation;
            pending = scheduler.schedule(() -> {
                synchronized (lock) {
                    if (next != generation) {
                        return;
                    }
                }
                connect();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.log(Level.FINE, "live feed lost, retrying in " + delay, cause);
        listener.onState(unauthorized ? ConnectionState.UNAUTHORIZED : ConnectionState.RETRYING,
                unauthorized ? "the gateway refused the admin token" : HttpAdminClient.plain(cause));
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
                socket.abort();
            }
        }
        onClose.accept(this);
        listener.onState(ConnectionState.DISCONNECTED, null);
    }

    private final class Handler implements WebSocket.Listener {
        private final int gen;
        private final StringBuilder text = new StringBuilder();

        Handler(int gen) {
            this.gen = gen;
        }

        /**
         * Unbounded demand: frames are small and the hub bounds what it keeps. Calling request(1)
         * from inside onText re-enters the JDK's receive loop and can fail with an InternalError
         * when the server sends right after the handshake, as the gateway does with its history.
         */
        @Override
        public void onOpen(WebSocket ws) {
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (text.length() + data.length() > MAX_MESSAGE_CHARS) {
                ws.abort();
                failed(gen, new IllegalStateException("live frame too large"));
                return null;
            }
            lastMessageNanos = System.nanoTime();
            text.append(data);
            if (last) {
                String msg = text.toString();
                text.setLength(0);
                try {
                    listener.onFrame(mapper.readValue(msg, LiveFrame.class));
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "skipped a live frame that could not be read: " + HttpAdminClient.plain(e));
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) { 
            failed(gen, new IllegalStateException("the gateway closed the live feed (" + statusCode + ")"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) { 
            failed(gen, error);
        }
    }
}
