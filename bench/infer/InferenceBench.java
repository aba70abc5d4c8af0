import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Figure 11: inference-aware routing. Three simulated vLLM engines ({@link SimEngine}) of speed 1×,
 * 1× and 0.4× behind one Atrium; twelve departments, each with its own ~2,000-token system prompt,
 * while each engine's prefix cache holds four; Poisson arrivals of streaming chat calls at 70 % and
 * 90 % of the three engines' total capacity; p50/p99 time to first token and throughput for
 * {@code round_robin}, {@code least_connections} and {@code inference}. Every (balancer, load) run
 * has its own gateway route whose backends are the same three engines under a distinct base path,
 * so the gateway learns from scratch each time; engines are reset (queue, cache) between runs, and
 * every balancer at one load gets the same arrival sequence (same seed).
 *
 * <p>{@code java -cp <classes> InferenceBench <repo> <full|quick> <results.md>}; {@code bench/infer.sh}
 * compiles and runs it.
 */
public final class InferenceBench {
    static final String JWT_SECRET = "bench-inference-secret-0123456789abcdef-XYZ";
    static final int DEPARTMENTS = 12;
    static final int SYSTEM_CHARS = 8_000;  // ~2,000 tokens
    static final int USER_CHARS = 400;      // ~100 tokens
    static final int MIN_OUT = 20;
    static final int MAX_OUT = 60;
    static final int BACKEND_MAX_CONCURRENCY = 32;
    static final double[] SPEEDS = {1.0, 1.0, 0.4};
    static final String[] BALANCERS = {"round_robin", "least_connections", "inference"};
    static final double[] LOADS = {0.7, 0.9};

    record Call(long arrivalNanos, long firstTokenNanos, long endNanos, int tokens, int status) {
    }

    record Result(String balancer, double load, double rate, int sent, int measured, int failed, int unfinished,
                  double p50, double p99, double callsPerSec, double tokensPerSec, double prefixHitPct,
                  Map<String, Long> decisions) {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        boolean quick = args.length > 1 && args[1].equals("quick");
        Path out = Path.of(args.length > 2 ? args[2] : "bench/work/results-inference.md");
        int warmSec = quick ? 4 : 8;
        int measureSec = quick ? 15 : 40;

        List<SimEngine> engines = new ArrayList<>();
        for (double s : SPEEDS) {
            engines.add(new SimEngine(SimEngine.Shape.standard(s)));
        }
        Path work = repo.resolve("bench/work/infer");
        Files.createDirectories(work);
        Path data = work.resolve("gw-data");
        deleteTree(data);
        Files.createDirectories(data);
        int port = freePort();
        int adminPort = freePort();
        Path cfg = work.resolve("gw.yaml");
        Files.writeString(cfg, config(port, adminPort, engines));
        Path jar = repo.resolve("gateway-engine/target/atrium-gateway.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--config", cfg.toString(), "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("gateway.log").toFile());
        pb.environment().put("JWT_SECRET", JWT_SECRET);
        Process gw = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(gw::destroy));
        List<Result> results = new ArrayList<>();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();
            waitReady(http, port);
            String token = jwt();
            String admin = Files.readString(data.resolve("admin.token")).trim();
            double capacity = 0;
            for (SimEngine e : engines) {
                capacity += capacity(e.shape(), 1.0 - 4.0 / DEPARTMENTS);
            }
            log(String.format(Locale.ROOT, "gateway up on :%d; total capacity %.1f calls/s", port, capacity));
            Thread.sleep(2500); // the telemetry tick registers the engine scrape targets
            for (double load : LOADS) {
                for (String balancer : BALANCERS) {
                    engines.forEach(SimEngine::reset);
                    Thread.sleep(500);
                    String route = route(balancer, load);
                    Result r = run(http, port, token, route, balancer, load, capacity * load, warmSec, measureSec, engines);
                    Map<String, Long> decisions = decisions(http, adminPort, admin, route);
                    r = new Result(r.balancer(), r.load(), r.rate(), r.sent(), r.measured(), r.failed(), r.unfinished(),
                            r.p50(), r.p99(), r.callsPerSec(), r.tokensPerSec(), r.prefixHitPct(), decisions);
                    results.add(r);
                    log(String.format(Locale.ROOT, "%-17s %2.0f%%: TTFT p50 %6.0f ms p99 %6.0f ms, %.2f calls/s, "
                            + "prefix hits %.0f%%, failed %d, unfinished %d %s", balancer, load * 100, r.p50(), r.p99(),
                            r.callsPerSec(), r.prefixHitPct(), r.failed(), r.unfinished(), decisions));
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report(results, capacity, warmSec, measureSec, quick));
            log("figure 11 written to " + out);
        } finally {
            gw.destroy();
            gw.waitFor(10, TimeUnit.SECONDS);
            engines.forEach(SimEngine::close);
        }
        System.exit(0);
    }

    static String route(String balancer, double load) {
        return balancer.replace('_', '-') + "-" + Math.round(load * 100);
    }

    static String config(int port, int adminPort, List<SimEngine> engines) {
        StringBuilder routes = new StringBuilder();
        for (double load : LOADS) {
            for (String b : BALANCERS) {
                String id = route(b, load);
                routes.append("  - id: ").append(id).append("\n    balancer: ").append(b)
                        .append("\n    queue_timeout_seconds: 300\n    read_timeout_seconds: 300\n    max_queue: 100000\n    backends:\n");
                for (SimEngine e : engines) {
                    routes.append("      - {url: \"http://127.0.0.1:").append(e.port()).append('/').append(id)
                            .append("\", max_concurrency: ").append(BACKEND_MAX_CONCURRENCY).append("}\n");
                }
            }
        }
        return """
                server: {host: 127.0.0.1, port: %d}
                admin: {host: 127.0.0.1, port: %d}
                access_log: {enabled: true}
                limits:
                  ip_requests_per_minute: 100000000
                  ip_burst: 10000000
                  user_requests_per_minute: 100000000
                  user_burst: 10000000
                  user_max_concurrent: 100000
                telemetry:
                  nvidia_smi: {enabled: false}
                routes:
                """.formatted(port, adminPort) + routes;
    }

    /** Calls a second one engine finishes at full batch with this share of system prompts missing its cache. */
    static double capacity(SimEngine.Shape s, double missRatio) {
        double outMean = (MIN_OUT + MAX_OUT) / 2.0;
        double decodeMs = outMean * (s.stepBaseMs() / s.maxSeqs() + s.decodeMsPerSeq());
        double prefillMs = (missRatio * SYSTEM_CHARS / 4.0 + USER_CHARS / 4.0) * s.prefillMsPerToken();
        return s.speed() * 1000.0 / (decodeMs + prefillMs);
    }

    static Result run(HttpClient http, int port, String token, String route, String balancer, double load, double rate,
                      int warmSec, int measureSec, List<SimEngine> engines) throws Exception {
        Random rnd = new Random(42 + Math.round(load * 100));
        String[] systems = new String[DEPARTMENTS];
        for (int d = 0; d < DEPARTMENTS; d++) {
            systems[d] = systemPrompt(d);
        }
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicInteger outstanding = new AtomicInteger();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmSec);
        long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(measureSec);
        long[] hitsAtMeasure = null;
        long next = start;
        int sent = 0;
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        while (next < measureTo) {
            long arrival = next;
            next += (long) (-Math.log(1 - rnd.nextDouble()) / rate * 1e9);
            int dept = rnd.nextInt(DEPARTMENTS);
            int outTokens = MIN_OUT + rnd.nextInt(MAX_OUT - MIN_OUT + 1);
            String user = userText(rnd);
            while (System.nanoTime() < arrival) {
                long wait = arrival - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            if (hitsAtMeasure == null && arrival >= measureFrom) {
                hitsAtMeasure = engineHits(engines);
            }
            String body = "{\"model\":\"" + route + "\",\"stream\":true,\"max_tokens\":" + outTokens
                    + ",\"messages\":[{\"role\":\"system\",\"content\":\"" + systems[dept] + "\"},"
                    + "{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
            sent++;
            outstanding.incrementAndGet();
            pool.execute(() -> {
                try {
                    calls.add(call(http, uri, token, body, arrival));
                } finally {
                    outstanding.decrementAndGet();
                }
            });
        }
        long[] hitsAtEnd = engineHits(engines);
        // let the calls that arrived in the window finish (bounded: an overloaded engine may never catch up)
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        long cutoff = System.nanoTime();
        int unfinished = outstanding.get();
        pool.shutdownNow();
        List<Double> ttft = new ArrayList<>();
        int failed = 0;
        int measured = 0;
        long tokens = 0;
        int done = 0;
        for (Call c : calls) {
            if (c.endNanos() >= measureFrom && c.endNanos() < measureTo && c.status() == 200) {
                done++;
                tokens += c.tokens();
            }
            if (c.arrivalNanos() < measureFrom) {
                continue;
            }
            measured++;
            if (c.status() != 200 || c.firstTokenNanos() == 0) {
                failed++;
                continue;
            }
            ttft.add((c.firstTokenNanos() - c.arrivalNanos()) / 1e6);
        }
        for (int i = 0; i < unfinished; i++) { // censored: at least this long
            ttft.add((cutoff - measureTo) / 1e6);
        }
        double[] v = ttft.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double hitPct = hitsAtMeasure == null || hitsAtEnd[0] == hitsAtMeasure[0] ? 0
                : 100.0 * (hitsAtEnd[1] - hitsAtMeasure[1]) / (hitsAtEnd[0] - hitsAtMeasure[0]);
        return new Result(balancer, load, rate, sent, measured, failed, unfinished, pct(v, 0.50), pct(v, 0.99),
                done / (double) measureSec, tokens / (double) measureSec, hitPct, Map.of());
    }

    static long[] engineHits(List<SimEngine> engines) {
        long[] sum = new long[2];
        for (SimEngine e : engines) {
            long[] c = e.counters();
            sum[0] += c[0];
            sum[1] += c[1];
        }
        return sum;
    }

    static Call call(HttpClient http, URI uri, String token, String body, long arrival) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(300))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long first = 0;
        int tokens = 0;
        try {
            HttpResponse<java.util.stream.Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
            try (var lines = res.body()) {
                for (var it = lines.iterator(); it.hasNext(); ) {
                    String l = it.next();
                    if (l.startsWith("data: ") && l.contains("\"content\"")) {
                        if (first == 0) {
                            first = System.nanoTime();
                        }
                        tokens++;
                    }
                }
            }
            return new Call(arrival, first, System.nanoTime(), tokens, res.statusCode());
        } catch (IOException | RuntimeException e) {
            return new Call(arrival, first, System.nanoTime(), tokens, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Call(arrival, first, System.nanoTime(), tokens, 0);
        }
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static String systemPrompt(int dept) {
        String[] names = {"radiology", "cardiology", "oncology", "pediatrics", "neurology", "emergency", "surgery",
                "pharmacy", "icu", "obstetrics", "dermatology", "nephrology"};
        StringBuilder sb = new StringBuilder("You are the assistant of the " + names[dept] + " department. ");
        Random r = new Random(1000 + dept);
        while (sb.length() < SYSTEM_CHARS) {
            sb.append("Rule ").append(r.nextInt(10_000)).append(": follow the ").append(names[dept])
                    .append(" protocol and cite the guideline. ");
        }
        return sb.substring(0, SYSTEM_CHARS);
    }

    static String userText(Random rnd) {
        StringBuilder sb = new StringBuilder("Question ").append(rnd.nextInt(1_000_000)).append(": ");
        while (sb.length() < USER_CHARS) {
            sb.append("patient ").append(rnd.nextInt(100_000)).append(" findings ");
        }
        return sb.substring(0, USER_CHARS);
    }

    static Map<String, Long> decisions(HttpClient http, int adminPort, String admin, String route) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("atrium_balancer_decisions_total\\{([^}]*)\\} ([0-9.E]+)").matcher(text);
            while (m.find()) {
                if (m.group(1).contains("route=\"" + route + "\"")) {
                    Matcher reason = Pattern.compile("reason=\"([^\"]+)\"").matcher(m.group(1));
                    if (reason.find()) {
                        out.put(reason.group(1), (long) Double.parseDouble(m.group(2)));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            out.put("unavailable", 0L);
        }
        return out;
    }

    static String report(List<Result> results, double capacity, int warmSec, int measureSec, boolean quick) {
        StringBuilder b = new StringBuilder();
        b.append("# Atrium inference-aware routing — ").append(LocalDate.now()).append(", ").append(host())
                .append(quick ? " (quick)" : "").append("\n\n");
        b.append("Figure 11 of the benchmark (`bench/infer.sh`, also run by `bench/run.sh`). Three simulated vLLM engines\n")
                .append("(`bench/infer/SimEngine.java`: ≤ 8 sequences at once + FIFO queue, chunked prefill of the prompt\n")
                .append("tokens not in the prefix cache, decode slowing with the batch, vLLM `/metrics`, OpenAI streaming) of\n")
                .append("speed 1×, 1×, 0.4×, each with `max_concurrency: ").append(BACKEND_MAX_CONCURRENCY)
                .append("` in Atrium. ").append(DEPARTMENTS).append(" departments, each with its own\n")
                .append("~2,000-token system prompt; an engine's prefix cache holds 4. Streaming calls (~100-token question,\n")
                .append(MIN_OUT).append("–").append(MAX_OUT).append(" tokens answered) arrive as a Poisson process at 70 % and 90 % of the engines' total\n")
                .append(String.format(Locale.ROOT, "capacity (%.1f calls/s at full batch with a random spread's 1-in-3 cache hits). ", capacity))
                .append(warmSec).append(" s warm-up, then\n").append(measureSec)
                .append(" s measured; the same arrival sequence for every balancer at a load. TTFT = first content token\n")
                .append("at the client from the call's scheduled arrival (no coordinated omission); calls still unanswered 60 s\n")
                .append("after the window count with their wait so far (≥). Loopback, gateway and engines on the same 2 cores.\n\n");
        b.append("| load | balancer | TTFT p50 ms | TTFT p99 ms | calls/s | tokens/s | engine prefix hits | failed / unfinished | decisions (whole run) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %.0f %% | `%s` | %.0f | %s%.0f | %.2f | %.0f | %.0f %% | %d / %d | %s |\n",
                    r.load() * 100, r.balancer(), r.p50(), r.unfinished() > 0 ? "≥ " : "", r.p99(), r.callsPerSec(),
                    r.tokensPerSec(), r.prefixHitPct(), r.failed(), r.unfinished(), r.decisions().isEmpty() ? "" : r.decisions().toString()));
        }
        b.append('\n');
        for (double load : LOADS) {
            Result lc = find(results, "least_connections", load);
            Result inf = find(results, "inference", load);
            if (lc != null && inf != null) {
                double gain = 100.0 * (1 - inf.p99() / lc.p99());
                b.append(String.format(Locale.ROOT, "- %.0f %% load: `inference` p99 TTFT %.0f ms vs `least_connections` %.0f ms: %.0f %% %s.\n",
                        load * 100, inf.p99(), lc.p99(), Math.abs(gain), gain >= 0 ? "lower" : "higher"));
            }
        }
        b.append("\nTarget (issue 14): p99 TTFT ≥ 30 % lower than `least_connections` at 90 %, no worse at 70 %.\n");
        return b.toString();
    }

    static Result find(List<Result> rs, String balancer, double load) {
        return rs.stream().filter(r -> r.balancer().equals(balancer) && r.load() == load).findFirst().orElse(null);
    }

    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "host";
        }
    }

    static void waitReady(HttpClient http, int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway not ready; see bench/work/infer/gateway.log");
    }

    static String jwt() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"bench\",\"tenant\":\"default\",\"allowed_tasks\":[\"*\"],\"iat\":" + now
                + ",\"exp\":" + (now + 86_400) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var w = Files.walk(p)) {
                for (Path x : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }

    static void log(String s) {
        System.err.println("[bench:infer] " + s);
    }

    private InferenceBench() {
    }

    static {
        Arrays.sort(LOADS);
    }
}
