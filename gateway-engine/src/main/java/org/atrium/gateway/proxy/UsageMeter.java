package org.atrium.gateway.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.atrium.model.Json;

/**
 * Reads token counts out of an answer while it streams through, without holding the answer: for
 * SSE it looks at each {@code data:} line that mentions {@code usage} (OpenAI/vLLM/TGI send it in
 * the last chunk); for JSON it keeps the body up to a bound and reads {@code usage} at the end.
 * Also understands Ollama's {@code prompt_eval_count}/{@code eval_count}, including its streamed
 * answers (NDJSON: one JSON object per line, the counters in the last).
 *
 * <p>On the hot path of every call: lines are scanned as bytes (only a line that can carry usage is
 * parsed), and JSON is read with a streaming parser that skips everything but the top-level
 * {@code usage} object and Ollama's counters, so a multi-megabyte embeddings answer builds no tree.
 */
public final class UsageMeter {
    private static final JsonFactory JSON = Json.mapper().getFactory();
    private static final int MAX_JSON_BODY = 4 * 1024 * 1024;
    private static final int MAX_LINE = 1024 * 1024;
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVAL_COUNT = "eval_count".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final boolean sse;
    /** SSE or NDJSON: read line by line instead of as one JSON body. */
    private final boolean lines;
    private final Buffer buffer = new Buffer();
    private boolean overflow;
    private long prompt = -1;
    private long completion = -1;
    private boolean sawDone;

    public UsageMeter(String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase();
        this.sse = ct.startsWith("text/event-stream");
        this.lines = sse || ct.startsWith("application/x-ndjson") || ct.startsWith("application/jsonl");
    }

    public boolean sse() {
        return sse;
    }

    public void accept(byte[] buf, int off, int len) {
        if (!lines) {
            if (!overflow && buffer.size() + len <= MAX_JSON_BODY) {
                buffer.write(buf, off, len);
            } else {
                overflow = true;
            }
            return;
        }
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                if (buffer.size() == 0) {
                    line(buf, start, i); // the whole line came in this read: scanned where it is, never copied
                } else {
                    keep(buf, start, i - start);
                    line(buffer.raw(), 0, buffer.size());
                    buffer.reset();
                }
                start = i + 1;
            }
        }
        keep(buf, start, end - start);
    }

    /** Buffers part of the current line, up to {@link #MAX_LINE} (a longer line is cut, never grown). */
    private void keep(byte[] buf, int off, int len) {
        int room = MAX_LINE - buffer.size();
        if (len > 0 && room > 0) {
            buffer.write(buf, off, Math.min(len, room));
        }
    }

    /** One line, {@code raw[from, to)} without its {@code \n}. */
    private void line(byte[] raw, int from, int to) {
        if (to > from && raw[to - 1] == '\r') {
            to--;
        }
        if (sse) {
            if (!startsWith(raw, from, to, DATA)) {
                return;
            }
            from += DATA.length;
        }
        while (from < to && (raw[from] == ' ' || raw[from] == '\t')) {
            from++;
        }
        while (to > from && (raw[to - 1] == ' ' || raw[to - 1] == '\t')) {
            to--;
        }
        if (sse && to - from == DONE.length && startsWith(raw, from, to, DONE)) {
            sawDone = true;
            return;
        }
        if (usageObject(raw, from, to) || indexOf(raw, from, to, EVAL_COUNT) >= 0) {
            read(raw, from, to - from);
        }
    }

    /**
     * Whether the line has {@code "usage"} followed by an object: OpenAI sends {@code "usage":null} in
     * every chunk of a stream that asked for usage, and only the last one's counts need the parser.
     */
    private static boolean usageObject(byte[] a, int from, int to) {
        for (int at = indexOf(a, from, to, USAGE); at >= 0; at = indexOf(a, at + 1, to, USAGE)) {
            int i = at + USAGE.length;
            while (i < to && isSpace(a[i])) {
                i++;
            }
            if (i < to && a[i] == ':') {
                i++;
                while (i < to && isSpace(a[i])) {
                    i++;
                }
                if (i < to && a[i] == '{') {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Call once the answer is complete. */
    public void finish() {
        if (lines) {
            if (buffer.size() > 0) {
                line(buffer.raw(), 0, buffer.size());
                buffer.reset();
            }
        } else if (!overflow && buffer.size() > 0) {
            read(buffer.raw(), 0, buffer.size());
        }
    }

    /** Reads the top-level {@code usage} object (or Ollama's counters) and skips everything else unparsed. */
    private void read(byte[] json, int off, int len) {
        long p = -1;
        long c = -1;
        long total = -1;
        long ollamaPrompt = -1;
        long ollamaCompletion = -1;
        boolean usage = false;
        try (JsonParser parser = JSON.createParser(json, off, len)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
                    usage = true;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken v = parser.nextToken();
                        long number = v == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                        switch (name) {
                            case "prompt_tokens" -> p = number;
                            case "completion_tokens" -> c = number;
                            case "total_tokens" -> total = number;
                            default -> parser.skipChildren();
                        }
                    }
                } else if ("prompt_eval_count".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    ollamaPrompt = parser.getLongValue();
                } else if ("eval_count".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    ollamaCompletion = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // not JSON, or cut short: nothing to count from it
        }
        if (usage) {
            if (c < 0 && p >= 0 && total >= 0) {
                c = Math.max(0, total - p); // embeddings report no completion
            }
            if (p >= 0) {
                prompt = p;
            }
            if (c >= 0) {
                completion = c;
            }
        } else {
            if (ollamaPrompt >= 0) {
                prompt = ollamaPrompt;
            }
            if (ollamaCompletion >= 0) {
                completion = ollamaCompletion;
            }
        }
    }

    private static boolean startsWith(byte[] a, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (a[from + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public long promptTokens() {
        return prompt;
    }

    public long completionTokens() {
        return completion;
    }

    public boolean sawDone() {
        return sawDone;
    }

    /**
     * A byte buffer whose contents can be read in place (no copy per line or per answer); unlike
     * {@code ByteArrayOutputStream} it takes no lock per write (one relay thread owns it).
     */
    private static final class Buffer {
        private byte[] buf = new byte[0];
        private int size;

        void write(byte[] b, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + len, Math.max(256, buf.length * 2)));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        byte[] raw() {
            return buf;
        }
    }
}
