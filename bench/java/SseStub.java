import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Bench-only backend on loopback, one virtual thread per connection over raw sockets (no framework,
 * so its own cost and jitter stay small and visible in the "direct" baseline).
 *
 * <ul>
 *   <li>{@code /sse?n=N&ms=M&pad=P}: a chunked {@code text/event-stream} of N OpenAI-style chunks,
 *   chunk k written at start + k*M ms (absolute deadlines, so a late wake-up does not shift later
 *   chunks). Each event carries {@code "t":<System.nanoTime()>} at the moment of writing; on Linux
 *   that is CLOCK_MONOTONIC, comparable across processes, so the client can compute per-chunk
 *   delay. {@code pad} adds P bytes of content (slow-reader test).</li>
 *   <li>{@code /slow?ms=M}: the fixed JSON answer after M ms (fairness test).</li>
 *   <li>anything else: the fixed JSON answer at once.</li>
 * </ul>
 * Usage: {@code java SseStub PORT}
 */
public final class SseStub {
    static final byte[] JSON = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"A fixed answer from the Atrium benchmark stub backend, long enough to look like a short reply "
            + "from a model.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
            + "\"completion_tokens\":24,\"total_tokens\":36}}").getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ServerSocket ss = new ServerSocket(port, 8192, InetAddress.getLoopbackAddress());
        ss.setReuseAddress(true);
        var exec = Executors.newVirtualThreadPerTaskExecutor();
        System.out.println("SseStub listening on " + port);
        while (true) {
            Socket s = ss.accept();
            exec.submit(() -> serve(s));
        }
    }

    private static void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            OutputStream out = s.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                long contentLength = 0;
                boolean chunked = false;
                boolean close = false;
                String h;
                while ((h = line(in)) != null && !h.isEmpty()) {
                    int c = h.indexOf(':');
                    if (c < 0) {
                        continue;
                    }
                    String name = h.substring(0, c).trim().toLowerCase();
                    String value = h.substring(c + 1).trim();
                    switch (name) {
                        case "content-length" -> contentLength = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase().contains("chunked");
                        case "connection" -> close = value.equalsIgnoreCase("close");
                        default -> { }
                    }
                }
                if (h == null) {
                    return;
                }
                if (chunked) {
                    skipChunked(in);
                } else {
                    in.skipNBytes(contentLength);
                }
                String target = requestLine.split(" ")[1];
                Map<String, String> q = query(target);
                String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
                if (path.endsWith("/sse")) {
                    sse(out, Integer.parseInt(q.getOrDefault("n", "50")), Integer.parseInt(q.getOrDefault("ms", "20")),
                            Integer.parseInt(q.getOrDefault("pad", "0")));
                } else {
                    if (path.endsWith("/slow")) {
                        Thread.sleep(Long.parseLong(q.getOrDefault("ms", "20")));
                    }
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + JSON.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(JSON);
                    out.flush();
                }
                if (close) {
                    return;
                }
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            // client went away or sent garbage: drop the connection
        }
    }

    private static void sse(OutputStream out, int n, int ms, int pad) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String padding = pad > 0 ? "x".repeat(pad) : "";
        long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            long deadline = start + k * ms * 1_000_000L;
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String event = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"i\":" + k
                    + ",\"t\":" + System.nanoTime() + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + padding
                    + " \"}}]}\n\n";
            writeChunk(out, event.getBytes(StandardCharsets.US_ASCII));
        }
        writeChunk(out, ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + n + ",\"total_tokens\":" + (12 + n) + "}}\n\n"
                + "data: [DONE]\n\n").getBytes(StandardCharsets.US_ASCII));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One write per chunk (size line + data + CRLF) so each event leaves in one segment. */
    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        out.write(all);
        out.flush();
    }

    private static void skipChunked(InputStream in) throws IOException {
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("eof");
            }
            int semi = size.indexOf(';');
            int len = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (len == 0) {
                while (true) { // trailers
                    String t = line(in);
                    if (t == null || t.isEmpty()) {
                        return;
                    }
                }
            }
            in.skipNBytes(len + 2);
        }
    }

    private static Map<String, String> query(String target) {
        Map<String, String> m = new HashMap<>();
        int q = target.indexOf('?');
        if (q < 0) {
            return m;
        }
        for (String kv : target.substring(q + 1).split("&")) {
            int e = kv.indexOf('=');
            if (e > 0) {
                m.put(kv.substring(0, e), kv.substring(e + 1));
            }
        }
        return m;
    }

    /** A CRLF-terminated line, or null at end of stream. */
    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
            if (sb.length() > 65536) {
                throw new IOException("line too long");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
