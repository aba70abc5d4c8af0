import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated vLLM-like engine on loopback, for the inference-routing figure. One scheduler thread
 * runs engine steps as vLLM's continuous batching does: at most {@code maxSeqs} sequences at once,
 * the rest wait in a FIFO queue; each step prefills up to {@code chunkTokens} prompt tokens (chunked
 * prefill, first come first served) and decodes one token for every sequence past its prefill. A step
 * takes {@code (stepBaseMs + decodeMsPerSeq × decoding + prefillMsPerToken × prefilled) / speed}, so
 * decoding slows as the batch grows and a long uncached prompt slows everybody. The prefix cache
 * holds the system prompts of the last few departments (LRU, {@code cacheTokens}); a cached system
 * prompt is not prefilled again. Tokens are text length / 4.
 *
 * <p>HTTP: {@code POST <any>/v1/chat/completions} (OpenAI streaming answers, with a final usage
 * chunk), {@code GET <any>/metrics} (Prometheus text under vLLM's names), {@code POST <any>/reset}
 * (empty queue and cache), {@code GET <any>/health}. Any base path is accepted, so one engine can
 * stand behind several gateway routes as distinct backends.
 */
public final class SimEngine implements AutoCloseable {
    /** Engine shape; times in milliseconds at speed 1. */
    public record Shape(double speed, int maxSeqs, int cacheTokens, double stepBaseMs, double decodeMsPerSeq,
                        double prefillMsPerToken, int chunkTokens) {
        public static Shape standard(double speed) {
            return new Shape(speed, 8, 8_000, 10, 1.0, 0.04, 512);
        }
    }

    private static final Pattern MAX_TOKENS = Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)");

    private final Shape shape;
    private final HttpServer server;
    private final Thread scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Seq> waiting = new ArrayDeque<>();
    private final List<Seq> running = new ArrayList<>();
    /** System prompt hash → its tokens, least recently used first. */
    private final LinkedHashMap<Integer, Integer> prefixCache = new LinkedHashMap<>(16, 0.75f, true);
    private int cachedTokens;
    private long prefixHits;
    private long prefixQueries;
    private long promptTokensTotal;
    private long generationTokensTotal;
    private long finished;
    private volatile boolean closed;

    private static final class Seq {
        final int promptTokens;
        int prefillLeft;
        int outLeft;
        int generated;
        int planned;
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        Seq(int promptTokens, int prefillLeft, int outTokens) {
            this.promptTokens = promptTokens;
            this.prefillLeft = Math.max(1, prefillLeft);
            this.outLeft = outTokens;
        }
    }

    public SimEngine(Shape shape) throws IOException {
        this.shape = shape;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        this.scheduler = Thread.ofPlatform().daemon().name("sim-engine-" + port()).start(this::loop);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Shape shape() {
        return shape;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/metrics")) {
                reply(ex, 200, "text/plain; version=0.0.4", metrics());
            } else if (path.endsWith("/health")) {
                reply(ex, 200, "text/plain", "ok");
            } else if (path.endsWith("/reset")) {
                reset();
                reply(ex, 200, "text/plain", "reset");
            } else if (path.endsWith("/v1/chat/completions") && "POST".equals(ex.getRequestMethod())) {
                chat(ex, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } else {
                reply(ex, 404, "text/plain", "not found");
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private void chat(HttpExchange ex, String body) throws IOException {
        String system = content(body, "\"system\"");
        String user = content(body, "\"user\"");
        int maxTokens = Integer.parseInt(group(MAX_TOKENS, body, "32"));
        int systemTokens = system.length() / 4;
        int prompt = systemTokens + user.length() / 4;
        Seq seq;
        lock.lock();
        try {
            prefixQueries++;
            boolean hit = systemTokens > 0 && prefixCache.get(system.hashCode()) != null;
            if (hit) {
                prefixHits++;
            } else if (systemTokens > 0) {
                prefixCache.put(system.hashCode(), systemTokens);
                cachedTokens += systemTokens;
                Iterator<java.util.Map.Entry<Integer, Integer>> it = prefixCache.entrySet().iterator();
                while (cachedTokens > shape.cacheTokens() && it.hasNext()) {
                    cachedTokens -= it.next().getValue();
                    it.remove();
                }
            }
            seq = new Seq(prompt, hit ? prompt - systemTokens : prompt, Math.max(1, maxTokens));
            waiting.add(seq);
            promptTokensTotal += prompt;
            arrived.signal();
        } finally {
            lock.unlock();
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-sim" + System.nanoTime();
        try {
            while (true) {
                String ev = seq.events.take();
                if (ev.isEmpty()) {
                    break;
                }
                out.write(("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"" + ev + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{"
                    + "\"prompt_tokens\":" + seq.promptTokens + ",\"completion_tokens\":" + seq.generated
                    + ",\"total_tokens\":" + (seq.promptTokens + seq.generated) + "}}\n\ndata: [DONE]\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The content string of the first message with this role (the bench's bodies: role before content). */
    private static String content(String body, String role) {
        int r = body.indexOf(role);
        int c = r < 0 ? -1 : body.indexOf("\"content\"", r);
        int q = c < 0 ? -1 : body.indexOf('"', body.indexOf(':', c) + 1);
        if (q < 0) {
            return "";
        }
        int i = q + 1;
        while (i < body.length() && body.charAt(i) != '"') {
            i += body.charAt(i) == '\\' ? 2 : 1;
        }
        return body.substring(q + 1, Math.min(i, body.length()));
    }

    private static String group(Pattern p, String s, String dflt) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : dflt;
    }

    private void loop() {
        while (!closed) {
            double ms;
            lock.lock();
            try {
                while (running.size() < shape.maxSeqs() && !waiting.isEmpty()) {
                    running.add(waiting.poll());
                }
                if (running.isEmpty()) {
                    arrived.await(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                int budget = shape.chunkTokens();
                int prefilled = 0;
                int decoding = 0;
                for (Seq s : running) {
                    s.planned = 0;
                    if (s.prefillLeft > 0) {
                        if (budget > 0) {
                            s.planned = Math.min(budget, s.prefillLeft);
                            budget -= s.planned;
                            prefilled += s.planned;
                        }
                    } else {
                        decoding++;
                    }
                }
                ms = (shape.stepBaseMs() + shape.decodeMsPerSeq() * decoding + shape.prefillMsPerToken() * prefilled)
                        / shape.speed();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            long until = System.nanoTime() + (long) (ms * 1e6);
            while (System.nanoTime() < until) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
            lock.lock();
            try {
                for (Iterator<Seq> it = running.iterator(); it.hasNext(); ) {
                    Seq s = it.next();
                    if (s.prefillLeft > 0) {
                        s.prefillLeft -= s.planned;
                        if (s.prefillLeft > 0) {
                            continue;
                        }
                    }
                    // end of prefill yields the first token; afterwards one token a step
                    s.generated++;
                    s.outLeft--;
                    generationTokensTotal++;
                    s.events.add("tok" + s.generated + " ");
                    if (s.outLeft <= 0) {
                        s.events.add("");
                        it.remove();
                        finished++;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** vLLM's gauge and counter names (V1: kv_cache_usage_perc, a 0..1 fraction). */
    String metrics() {
        lock.lock();
        try {
            long inUse = cachedTokens;
            for (Seq s : running) {
                inUse += s.promptTokens + s.generated;
            }
            double kvCapacity = shape.cacheTokens() + shape.maxSeqs() * 2_500.0;
            return "# TYPE vllm:num_requests_running gauge\n"
                    + "vllm:num_requests_running{model_name=\"sim\"} " + running.size() + "\n"
                    + "# TYPE vllm:num_requests_waiting gauge\n"
                    + "vllm:num_requests_waiting{model_name=\"sim\"} " + waiting.size() + "\n"
                    + "# TYPE vllm:kv_cache_usage_perc gauge\n"
                    + "vllm:kv_cache_usage_perc{model_name=\"sim\"} " + Math.min(1.0, inUse / kvCapacity) + "\n"
                    + "# TYPE vllm:prefix_cache_queries counter\n"
                    + "vllm:prefix_cache_queries_total{model_name=\"sim\"} " + prefixQueries + "\n"
                    + "vllm:prefix_cache_hits_total{model_name=\"sim\"} " + prefixHits + "\n"
                    + "vllm:prompt_tokens_total{model_name=\"sim\"} " + promptTokensTotal + "\n"
                    + "vllm:generation_tokens_total{model_name=\"sim\"} " + generationTokensTotal + "\n"
                    + "vllm:request_success_total{model_name=\"sim\"} " + finished + "\n";
        } finally {
            lock.unlock();
        }
    }

    /** Counters since the last reset: prefix queries, prefix hits, finished calls. */
    public long[] counters() {
        lock.lock();
        try {
            return new long[] {prefixQueries, prefixHits, finished};
        } finally {
            lock.unlock();
        }
    }

    /** Drops every queued and running call (their answers end), forgets the prefix cache and the counters. */
    public void reset() {
        lock.lock();
        try {
            for (Seq s : waiting) {
                s.events.add("");
            }
            for (Seq s : running) {
                s.events.add("");
            }
            waiting.clear();
            running.clear();
            prefixCache.clear();
            cachedTokens = 0;
            prefixHits = 0;
            prefixQueries = 0;
            promptTokensTotal = 0;
            generationTokensTotal = 0;
            finished = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        scheduler.interrupt();
    }

    /** Standalone: {@code java SimEngine.java [speed]} serves one engine until killed. */
    public static void main(String[] args) throws Exception {
        SimEngine e = new SimEngine(Shape.standard(args.length > 0 ? Double.parseDouble(args[0]) : 1.0));
        System.out.println("sim engine on http://127.0.0.1:" + e.port() + " speed " + e.shape().speed());
        Thread.currentThread().join();
    }
}
