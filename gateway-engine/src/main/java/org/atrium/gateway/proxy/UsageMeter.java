package org.atrium.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.atrium.model.Json;

/**
 * Reads token counts out of an answer while it streams through, without holding the answer: for
 * SSE it looks at each {@code data:} line that mentions {@code usage} (OpenAI/vLLM/TGI send it in
 * the last chunk); for JSON it keeps the body up to a bound and reads {@code usage} at the end.
 * Also understands Ollama's {@code prompt_eval_count}/{@code eval_count}.
 */
public final class UsageMeter {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int MAX_JSON_BODY = 4 * 1024 * 1024;
    private static final int MAX_LINE = 1024 * 1024;

    private final boolean sse;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean overflow;
    private long prompt = -1;
    private long completion = -1;
    private boolean sawDone;

    public UsageMeter(String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase();
        this.sse = ct.startsWith("text/event-stream");
    }

    public boolean sse() {
        return sse;
    }

    public void accept(byte[] buf, int off, int len) {
        if (!sse) {
            if (!overflow && buffer.size() + len <= MAX_JSON_BODY) {
                buffer.write(buf, off, len);
            } else {
                overflow = true;
            }
            return;
        }
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b == '\n') {
                line();
            } else if (buffer.size() < MAX_LINE) {
                buffer.write(b);
            }
        }
    }

    private void line() {
        byte[] raw = buffer.toByteArray();
        buffer.reset();
        int n = raw.length;
        if (n > 0 && raw[n - 1] == '\r') {
            n--;
        }
        if (n < 5 || raw[0] != 'd' || raw[1] != 'a' || raw[2] != 't' || raw[3] != 'a' || raw[4] != ':') {
            return;
        }
        String data = new String(raw, 5, n - 5, StandardCharsets.UTF_8).strip();
        if (data.equals("[DONE]")) {
            sawDone = true;
            return;
        }
        if (data.contains("\"usage\"") || data.contains("eval_count")) {
            read(data.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Call once the answer is complete. */
    public void finish() {
        if (sse) {
            if (buffer.size() > 0) {
                line();
            }
        } else if (!overflow && buffer.size() > 0) {
            read(buffer.toByteArray());
        }
    }

    private void read(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null) {
                return;
            }
            JsonNode usage = n.get("usage");
            if (usage != null && usage.isObject()) {
                long p = usage.path("prompt_tokens").asLong(-1);
                long c = usage.path("completion_tokens").asLong(-1);
                if (c < 0 && p >= 0 && usage.has("total_tokens")) {
                    c = Math.max(0, usage.path("total_tokens").asLong() - p); // embeddings report no completion
                }
                if (p >= 0) {
                    prompt = p;
                }
                if (c >= 0) {
                    completion = c;
                }
            } else if (n.has("eval_count") || n.has("prompt_eval_count")) {
                prompt = n.path("prompt_eval_count").asLong(prompt);
                completion = n.path("eval_count").asLong(completion);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON or not usage: nothing to count
        }
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
}
