package org.atrium.gateway.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.atrium.model.Json;
import org.atrium.model.LiveFrame;

/** A java.net.http WebSocket client that records every text message and how the socket ended. */
final class WsProbe implements WebSocket.Listener, AutoCloseable {
    record Message(long nanos, String text) {
        LiveFrame frame() {
            try {
                return Json.mapper().readValue(text, LiveFrame.class);
            } catch (Exception e) {
                throw new AssertionError("not a LiveFrame: " + text, e);
            }
        }
    }

    final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    /** Connects with the given headers; returns the HTTP status when the handshake is refused, else 101. */
    static Connected connect(String url, Map<String, String> headers) {
        WsProbe probe = new WsProbe();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        try {
            probe.socket = b.buildAsync(URI.create(url), probe).get(10, TimeUnit.SECONDS);
            return new Connected(101, probe);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return new Connected(h.getResponse().statusCode(), null);
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    record Connected(int status, WsProbe probe) {
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(new Message(System.nanoTime(), partial.toString()));
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete("error " + error);
    }

    Message next(Duration within) throws InterruptedException {
        Message m = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + within + (closed.isDone() ? " (closed: " + closed.getNow("") + ")" : ""));
        }
        return m;
    }

    /** Takes messages until none arrives for {@code quiet}. */
    List<Message> drain(Duration quiet) throws InterruptedException {
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = messages.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
