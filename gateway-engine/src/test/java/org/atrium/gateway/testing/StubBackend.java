package org.atrium.gateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on loopback that speaks the OpenAI wire format, with full control over
 * the socket: it can stream SSE with delays, die mid-stream without ending the chunked body, and
 * notice when the gateway hangs up (cancellation). Every request it receives is recorded.
 */
public final class StubBackend implements AutoCloseable {
    /** A request as the backend saw it. */
    public record Received(String method, String target, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes the answer; may throw to simulate a crash. */
    @FunctionalInterface
    public interface Handler {
        void handle(Received request, Response response) throws IOException, InterruptedException;
    }

    /** Raw access to the answer. */
    public static final class Response {
        private final Socket socket;
        private final OutputStream out;
        private boolean chunked;

        Response(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        public void json(int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
        }

        public void startChunked(int status, String contentType) throws IOException {
            chunked = true;
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        public void chunk(String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        public void endChunked() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Writes bytes as they are: garbage, broken framing, a hand-made status line. */
        public void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Closes the connection politely (FIN), as a server closing an idle keep-alive connection does. */
        public void close() throws IOException {
            socket.close();
        }

        /** Drops the connection as a crashed process would (no end of the chunked body). */
        public void die() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public boolean chunked() {
            return chunked;
        }
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger scrapes = new AtomicInteger();
    private volatile Handler handler;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    public StubBackend(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    /** An OpenAI-style chat completion answer with usage. */
    public static StubBackend openAi() throws IOException {
        return new StubBackend(StubBackend::openAiHandler);
    }

    public static void openAiHandler(Received req, Response res) throws IOException, InterruptedException {
        boolean stream = req.bodyText().replace(" ", "").contains("\"stream\":true");
        if (!stream) {
            res.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the stub\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}");
            return;
        }
        res.startChunked(200, "text/event-stream");
        String[] words = {"Hel", "lo", " from", " the", " stub"};
        for (String w : words) {
            res.chunk("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + w + "\"},\"finish_reason\":null}]}\n\n");
            Thread.sleep(40);
        }
        if (req.bodyText().contains("include_usage")) {
            res.chunk("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}\n\n");
        }
        res.chunk("data: [DONE]\n\n");
        res.endChunked();
    }

    public void handler(Handler h) {
        this.handler = h;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.getLast();
    }

    /** Streams the backend stopped because the gateway closed the connection. */
    public int cancelled() {
        return cancelled.get();
    }

    /** {@code GET /metrics} without the gateway's identity headers: the telemetry scraper polling this backend. */
    private static boolean isEngineScrape(Received req) {
        // a route's backend URL may carry a path (".../p"): its engine metrics are scraped at ".../p/metrics"
        return req.method().equals("GET") && req.target().endsWith("/metrics") && req.header("x-task-id") == null;
    }

    /** How often the gateway's engine-metrics collector scraped this backend (not in {@link #received()}). */
    public int scrapes() {
        return scrapes.get();
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (true) {
                Received req = read(in);
                if (req == null) {
                    return;
                }
                Response res = new Response(s);
                if (isEngineScrape(req)) {
                    // The gateway's engine-metrics collector, not a proxied call: keep it out of received().
                    scrapes.incrementAndGet();
                    res.json(404, "{\"error\":\"no metrics here\"}");
                    continue;
                }
                received.add(req);
                try {
                    handler.handle(req, res);
                } catch (java.net.SocketException e) {
                    cancelled.incrementAndGet();
                    return;
                }
                if (s.isClosed()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // connection over
        } finally {
            open.remove(s);
        }
    }

    private static Received read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int c = h.indexOf(':');
            String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(c + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        byte[] body = new byte[0];
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                bo.write(in.readNBytes(size));
                line(in);
            }
            body = bo.toByteArray();
        }
        return new Received(parts[0], parts[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }
}
