package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Raw HTTP/1.1 over a loopback socket, for requests no well-behaved client would send (smuggling
 * attempts, path tricks, broken framing). Reads one answer, framed by Content-Length, chunked
 * encoding or the server closing; never waits longer than the socket timeout.
 */
final class RawHttp {
    /** One answer as it came off the wire. {@code status} is 0 when the server sent nothing. */
    record Answer(int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Asserts the answer leaks nothing internal: no stack trace, Java class or internal address. */
        Answer assertNoLeak(String... internal) {
            assertNoLeakIn(raw, internal);
            return this;
        }
    }

    private RawHttp() {
    }

    static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), 10_000);
    }

    static Answer send(int port, byte[] request, int timeoutMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the server may refuse and close before reading everything: read its answer anyway
            }
            return read(s.getInputStream());
        }
    }

    /** Reads one answer from {@code in}. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try {
            String status = line(in, raw);
            if (status == null || status.isEmpty()) {
                return new Answer(0, Map.of(), "", raw.toString(StandardCharsets.ISO_8859_1));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = line(in, raw)) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                if (c > 0) {
                    headers.merge(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                byte[] b = in.readNBytes(Integer.parseInt(headers.get("content-length")));
                body.write(b);
                raw.write(b);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = line(in, raw);
                    if (size == null) {
                        break;
                    }
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        line(in, raw);
                        break;
                    }
                    byte[] b = in.readNBytes(n);
                    body.write(b);
                    raw.write(b);
                    line(in, raw);
                }
            } else {
                byte[] b = in.readAllBytes();
                body.write(b);
                raw.write(b);
            }
            String[] parts = status.split(" ", 3);
            int code = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
            return new Answer(code, headers, body.toString(StandardCharsets.UTF_8), raw.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketException | SocketTimeoutException e) {
            String r = raw.toString(StandardCharsets.ISO_8859_1);
            int code = r.length() >= 12 && r.startsWith("HTTP/") ? Integer.parseInt(r.substring(9, 12)) : 0;
            return new Answer(code, Map.of(), "", r);
        }
    }

    private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            raw.write(c);
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** No stack trace, Java class/package name or internal address in {@code text}. */
    static void assertNoLeakIn(String text, String... internal) {
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at org.")
                .doesNotContain("org.atrium").doesNotContain("io.helidon").doesNotContain("java.")
                .doesNotContain("jdk.internal").doesNotContain("Caused by");
        for (String s : internal) {
            assertThat(text).doesNotContain(s);
        }
    }

    /** The {@code code} of either error shape: {@code {"code"}} or {@code {"error":{"code"}}}. */
    static String code(String body) {
        try {
            var node = org.atrium.model.Json.mapper().readTree(body);
            if (node.path("error").isObject()) {
                return node.path("error").path("code").asText(null);
            }
            return node.path("code").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** True when the body has the OpenAI error shape (the {@code /v1} surface). */
    static boolean openAiShape(String body) {
        try {
            var node = org.atrium.model.Json.mapper().readTree(body);
            return node.path("error").isObject() && node.path("error").has("type") && node.path("error").has("message");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the body has the reference shape {@code {"error": "...", "code": "..."}}. */
    static boolean referenceShape(String body) {
        try {
            var node = org.atrium.model.Json.mapper().readTree(body);
            return node.path("error").isTextual() && node.path("code").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
