import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark orchestrator behind {@code bench/run.sh}: starts the stubs, nginx and Atrium on
 * loopback, runs every figure with the pinning/alternation/pollution protocol described in
 * bench/README.md and writes the Markdown results table.
 *
 * Usage: {@code java -cp bench/work/classes Bench full|quick|smoke|cluster ROOT}
 */
public final class Bench {
    // ---- run profile -------------------------------------------------------------------------
    enum Mode { FULL, QUICK, SMOKE, CLUSTER, STARTUP }

    record Profile(int reps, int warmSec, int satSec, int fixedSec, int[] rates, int chunks, int[] streamCounts,
                   int memStreams, int slowStreams, int slowSec, int fairSec, int startReps,
                   int jfrSec, int maxRetries, int retryBudgetSec) {
    }

    static Profile profile(Mode m) {
        return switch (m) {
            case FULL -> new Profile(3, 20, 5, 6, new int[] {5_000, 20_000}, 100, new int[] {1, 100, 1_000},
                    10_000, 200, 20, 8, 5, 15, 2, 120);
            case QUICK -> new Profile(1, 5, 2, 2, new int[] {5_000, 20_000}, 40, new int[] {1, 100, 1_000},
                    2_000, 50, 6, 3, 2, 4, 0, 0);
            case SMOKE -> new Profile(1, 1, 1, 1, new int[] {}, 10, new int[] {1}, 0, 0, 0, 0, 0, 0, 0, 0);
            case CLUSTER -> new Profile(3, 20, 5, 0, new int[] {}, 0, new int[] {}, 0, 0, 0, 0, 0, 0, 2, 120);
            case STARTUP -> new Profile(1, 0, 0, 0, new int[] {}, 0, new int[] {}, 0, 0, 0, 0, 10, 0, 0, 0);
        };
    }

    static Mode mode;
    static Profile P;
    static Path root;
    static Path work;
    static Path logs;
    static String javaBin;
    static String jdkBin;
    static Path jar;
    static String loadCore = "0";
    static String proxyCore = "1";
    static double maxOtherPct = Double.parseDouble(System.getenv().getOrDefault("BENCH_MAX_OTHER_PCT", "10"));
    static long clkTck = 100;
    static final List<Proc> procs = Collections.synchronizedList(new ArrayList<>());
    static final String JWT_SECRET = "bench-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    static long retrySpentMs;

    // results
    static final Map<String, List<Double>> R = new LinkedHashMap<>();
    static final List<String> pollution = new ArrayList<>();
    static final List<String> notes = new ArrayList<>();
    static final Map<String, String> text = new LinkedHashMap<>();

    // ports
    static int fastPort;
    static int ssePort;
    static int ngxPort;
    static int atrPort;
    static int admPort;
    static int barePort;
    /** nginx stub that closes each upstream connection after 5 answers ({@code Connection: close}): figure 10. */
    static int closingPort;
    static Proc stubNginx;
    static Proc sse;
    static Proc ngx;
    static Proc atrium;
    static Proc bare;
    static Proc client;
    static String tokDefault;
    static String tokFlood;
    static String tokVictim;

    public static void main(String[] args) throws Exception {
        mode = Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
        P = profile(mode);
        root = Path.of(args[1]).toAbsolutePath().normalize();
        work = root.resolve("bench/work");
        logs = work.resolve("logs");
        Files.createDirectories(logs);
        jdkBin = Path.of(System.getProperty("java.home"), "bin").toString();
        javaBin = jdkBin + "/java";
        jar = stageJar(root.resolve("gateway-engine/target/atrium-gateway.jar"));
        int cpus = cpuCount();
        if (cpus < 2) {
            proxyCore = "0";
            notes.add("Only one CPU: proxy and load share it; figures are not comparable to a 2-core run.");
        }
        clkTck = Long.parseLong(sh("getconf", "CLK_TCK").trim());
        Runtime.getRuntime().addShutdownHook(new Thread(Bench::stopAll));
        long t0 = System.nanoTime();
        try {
            run();
        } finally {
            stopAll();
        }
        log("done in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
    }

    static void run() throws Exception {
        fastPort = freePort();
        ssePort = freePort();
        ngxPort = freePort();
        atrPort = freePort();
        admPort = freePort();
        barePort = freePort();
        closingPort = freePort();
        writeNginxConfs();
        startStubs();
        if (mode == Mode.SMOKE) {
            smoke();
            return;
        }
        if (mode == Mode.CLUSTER) {
            clusterOnly();
            return;
        }
        if (mode == Mode.STARTUP) {
            startupFigure();
            writeStartupResults();
            return;
        }
        long start = System.nanoTime();
        startupFigure();
        startProxies();
        setUpAtrium();
        rss("idle", "atrium", atrium);
        warm();
        rss("idle_warm", "atrium", atrium);
        rss("idle_warm", "nginx", ngx);
        saturation();
        fixedLoad();
        streaming();
        fairness();
        noSpurious502();
        memory();
        cluster();
        profileJfr();
        writeResults((System.nanoTime() - start) / 1_000_000_000);
    }

    // ---- processes ---------------------------------------------------------------------------
    static final class Proc {
        final String name;
        final Process p;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PrintWriter in;
        Thread reader;

        Proc(String name, Process p) {
            this.name = name;
            this.p = p;
        }

        long pid() {
            return p.pid();
        }

        /** utime+stime of the process and its direct children (nginx workers), in seconds. */
        double cpuSec() {
            long ticks = ticks(p.pid());
            for (long c : children(p.pid())) {
                ticks += ticks(c);
            }
            return ticks / (double) clkTck;
        }

        long rssKb() {
            long kb = rssOf(p.pid());
            for (long c : children(p.pid())) {
                kb += rssOf(c);
            }
            return kb;
        }
    }

    static Proc start(String name, List<String> cmd, Map<String, String> env, boolean pipe) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        if (!pipe) {
            pb.redirectOutput(logs.resolve(name + ".log").toFile());
        }
        Proc pr = new Proc(name, pb.start());
        if (pipe) {
            pr.in = new PrintWriter(pr.p.getOutputStream(), true, StandardCharsets.US_ASCII);
            pr.reader = Thread.ofPlatform().daemon().start(() -> {
                try (var r = new BufferedReader(new InputStreamReader(pr.p.getInputStream(), StandardCharsets.UTF_8));
                     var w = Files.newBufferedWriter(logs.resolve(name + ".log"))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        w.write(l);
                        w.newLine();
                        w.flush();
                        pr.lines.add(l);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
        }
        procs.add(pr);
        return pr;
    }

    static void stop(Proc pr) {
        if (pr == null || !pr.p.isAlive()) {
            return;
        }
        pr.p.destroy();
        try {
            if (!pr.p.waitFor(15, TimeUnit.SECONDS)) {
                pr.p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        procs.remove(pr);
    }

    static void stopAll() {
        List<Proc> copy;
        synchronized (procs) {
            copy = new ArrayList<>(procs);
        }
        Collections.reverse(copy);
        for (Proc pr : copy) {
            stop(pr);
        }
    }

    static List<String> pinned(String core, String... cmd) {
        List<String> l = new ArrayList<>(List.of("taskset", "-c", core));
        l.addAll(List.of(cmd));
        return l;
    }

    static List<String> atriumCmd(String core, List<String> jvmExtra, Path config, Path dataDir) {
        List<String> l = new ArrayList<>(List.of("taskset", "-c", core, javaBin));
        if (!core.contains(",")) {
            l.add("-XX:ActiveProcessorCount=1");
        }
        l.addAll(serviceJvmOptions());
        l.addAll(jvmExtra);
        l.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "--data-dir", dataDir.toString()));
        return l;
    }

    /**
     * The {@code -XX:} options (collector, heap sizing) the installed service's launcher runs the gateway
     * with, read from the packaging's launcher file, so the jar is measured under the collector a
     * hospital gets rather than the one-CPU ergonomics' SerialGC. {@code BENCH_GW_JVM} replaces them
     * (empty: JVM ergonomics) for A/B runs.
     */
    static List<String> serviceJvmOptions() {
        String override = System.getenv("BENCH_GW_JVM");
        if (override != null) {
            return override.isBlank() ? List.of() : List.of(override.trim().split("\\s+"));
        }
        try {
            for (String line : Files.readAllLines(root.resolve(SERVICE_LAUNCHER))) {
                if (line.startsWith("java-options=")) {
                    return Stream.of(line.substring("java-options=".length()).trim().split("\\s+"))
                            .filter(o -> o.startsWith("-XX:")).toList();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no java-options line in " + SERVICE_LAUNCHER);
    }

    static final String SERVICE_LAUNCHER = "installer/src/jpackage/atrium-gateway.properties";

    // ---- set-up --------------------------------------------------------------------------------
    static void writeNginxConfs() throws IOException {
        String user = "0".equals(sh("id", "-u").trim()) ? "user root root;\n" : "";
        String common = user + "worker_processes 1;\nworker_rlimit_nofile 65536;\n"
                + "events { worker_connections 30000; multi_accept on; }\n";
        String temps = "client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi; "
                + "uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;\n";
        String stubJson = new String(readStubJson(), StandardCharsets.US_ASCII);
        for (String n : List.of("nginx-stub", "nginx-proxy")) {
            Files.createDirectories(work.resolve(n));
        }
        Files.writeString(work.resolve("nginx-stub/nginx.conf"), common + "pid " + work.resolve("nginx-stub/nginx.pid") + ";\n"
                + "http {\n" + temps.formatted(work.resolve("nginx-stub")) + "access_log off;\nkeepalive_requests 10000000;\n"
                + "server { listen 127.0.0.1:" + fastPort + " backlog=8192;\n"
                + "  location / { default_type application/json; return 200 '" + stubJson + "'; } }\n"
                + "server { listen 127.0.0.1:" + closingPort + " backlog=8192; keepalive_requests 5;\n"
                + "  location / { default_type application/json; return 200 '" + stubJson + "'; } }\n}\n");
        String proxyOpts = "proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host $host; "
                + "proxy_set_header X-Real-IP $remote_addr; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;";
        Files.writeString(work.resolve("nginx-proxy/nginx.conf"), common + "pid " + work.resolve("nginx-proxy/nginx.pid") + ";\n"
                + "http {\n" + temps.formatted(work.resolve("nginx-proxy"))
                // access log on, buffered, as a production nginx would run (Atrium logs every call too)
                + "access_log " + logs.resolve("nginx-proxy-access.log") + " combined buffer=64k flush=1s;\n"
                + "keepalive_requests 10000000;\n"
                + "upstream fast_up { server 127.0.0.1:" + fastPort + "; keepalive 256; keepalive_requests 10000000; }\n"
                + "upstream sse_up { server 127.0.0.1:" + ssePort + "; keepalive 256; keepalive_requests 10000000; }\n"
                + "server { listen 127.0.0.1:" + ngxPort + " backlog=8192;\n"
                + "  location /api/task/fast/ { proxy_pass http://fast_up/; " + proxyOpts + " }\n"
                + "  location /sse/ { proxy_pass http://sse_up/; " + proxyOpts
                + " proxy_buffering off; proxy_read_timeout 300s; }\n}\n}\n");
    }

    static byte[] readStubJson() {
        return ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A fixed answer from the "
                + "Atrium benchmark stub backend, long enough to look like a short reply from a model running in the "
                + "GPU room; it has no meaning at all.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
                + "12,\"completion_tokens\":24,\"total_tokens\":36},\"system_fingerprint\":\"fp_bench_0001\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static Proc nginx(String name, String core) throws IOException {
        Path dir = work.resolve(name);
        return start(name, pinned(core, "nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", logs.resolve(name + "-error.log").toString(), "-g", "daemon off;"), Map.of(), false);
    }

    static void startStubs() throws Exception {
        stubNginx = nginx("nginx-stub", loadCore);
        sse = start("sse-stub", pinned(loadCore, javaBin, "-XX:+UseSerialGC", "-Xss256k", "-cp",
                work.resolve("classes").toString(), "SseStub", Integer.toString(ssePort)), Map.of(), false);
        waitPort(fastPort, 10_000);
        waitPort(ssePort, 20_000);
        client = start("stream-client", pinned(loadCore, javaBin, "-cp", work.resolve("classes").toString(),
                "StreamClient", "mode=serve"), Map.of(), true);
        log("stubs up: nginx stub :" + fastPort + ", SSE stub :" + ssePort);
    }

    /**
     * Runs the gateway from a copy with a neutral file name (same bytes, libs beside it): on a shared
     * machine other people's scripts stop "their" gateways by name, which must not hit ours mid-run.
     */
    static Path stageJar(Path built) throws IOException {
        Path dir = work.resolve("gw");
        deleteTree(dir);
        Files.createDirectories(dir.resolve("libs"));
        try (var s = Files.list(built.getParent().resolve("libs"))) {
            for (Path l : s.toList()) {
                Files.copy(l, dir.resolve("libs").resolve(l.getFileName()));
            }
        }
        return Files.copy(built, dir.resolve("gw.jar"));
    }

    static Path atriumConfig(Path file, int dataPort, int adminPort) throws IOException {
        String cfg = """
                server:
                  host: 127.0.0.1
                  port: %d
                  max_connections: 30000
                admin:
                  host: 127.0.0.1
                  port: %d
                access_log:
                  enabled: true
                limits:
                  ip_requests_per_minute: 100000000
                  ip_burst: 10000000
                  tenant_requests_per_minute: 100000000
                  tenant_burst: 10000000
                  user_requests_per_minute: 100000000
                  user_burst: 10000000
                  tenant_max_concurrent: 100000
                  user_max_concurrent: 100000
                routes:
                  - id: fast
                    backends: [{url: "http://127.0.0.1:%d", max_concurrency: 100000}]
                  - id: sse
                    backends: [{url: "http://127.0.0.1:%d", max_concurrency: 100000}]
                  - id: fair
                    max_queue: 100000
                    backends: [{url: "http://127.0.0.1:%d", max_concurrency: 4}]
                  - id: closing
                    backends: [{url: "http://127.0.0.1:%d", max_concurrency: 100000}]
                """.formatted(dataPort, adminPort, fastPort, ssePort, ssePort, closingPort);
        Files.writeString(file, cfg);
        return file;
    }

    static void startProxies() throws Exception {
        ngx = nginx("nginx-proxy", proxyCore);
        Path data = work.resolve("gw-data");
        deleteTree(data);
        Files.createDirectories(data);
        Path cfg = atriumConfig(work.resolve("gw.yaml"), atrPort, admPort);
        atrium = start("atrium", atriumCmd(proxyCore, List.of("-Xlog:gc:file=" + logs.resolve("atrium-gc.log")), cfg, data), Map.of("JWT_SECRET", JWT_SECRET), false);
        List<String> bareCmd = new ArrayList<>(List.of(javaBin, "-XX:ActiveProcessorCount=1"));
        bareCmd.addAll(serviceJvmOptions());
        bareCmd.addAll(List.of("-cp", jar + ":" + work.resolve("classes"), "BareGateway", Integer.toString(barePort),
                Integer.toString(fastPort), Integer.toString(ssePort)));
        bare = start("atrium-bare", pinned(proxyCore, bareCmd.toArray(String[]::new)), Map.of(), false);
        waitPort(ngxPort, 10_000);
        waitReady(atrPort, 120_000);
        waitPort(barePort, 120_000);
        log("proxies up: nginx :" + ngxPort + ", Atrium :" + atrPort + " (admin :" + admPort + "), bare :" + barePort);
    }

    /** Tenants, bans and tokens: the full pipeline has real work to do on every call. */
    static void setUpAtrium() throws Exception {
        String admin = Files.readString(work.resolve("gw-data/admin.token")).trim();
        HttpClient hc = HttpClient.newHttpClient();
        for (String t : List.of("ward-a", "ward-b")) {
            adminCall(hc, admin, "POST", "/admin/v1/tenants", "{\"id\":\"" + t + "\",\"name\":\"" + t + "\",\"weight\":1}");
        }
        adminCall(hc, admin, "POST", "/admin/v1/bans", "{\"type\":\"ip\",\"target\":\"10.99.0.0/16\",\"reason\":\"bench\"}");
        adminCall(hc, admin, "POST", "/admin/v1/bans", "{\"type\":\"user\",\"target\":\"mallory\",\"reason\":\"bench\"}");
        adminCall(hc, admin, "POST", "/admin/v1/bans", "{\"type\":\"task\",\"target\":\"retired\",\"reason\":\"bench\"}");
        tokDefault = jwt("bench-user", "default");
        tokFlood = jwt("flooder", "ward-a");
        tokVictim = jwt("victim", "ward-b");
        Thread.sleep(1500); // state snapshots swap within a second
    }

    static void adminCall(HttpClient hc, String admin, String method, String path, String body) throws Exception {
        HttpResponse<String> r = hc.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admPort + path))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
    }

    static String jwt(String sub, String tenant) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"" + sub + "\",\"tenant\":\"" + tenant + "\",\"allowed_tasks\":[\"*\"],\"iat\":" + now
                + ",\"exp\":" + (now + 86_400) + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        return header + "." + claims + "." + sig;
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- targets -------------------------------------------------------------------------------
    enum Target { DIRECT, NGINX, ATRIUM, BARE }

    static Proc proxyOf(Target t) {
        return switch (t) {
            case DIRECT -> null;
            case NGINX -> ngx;
            case ATRIUM -> atrium;
            case BARE -> bare;
        };
    }

    static String fastUrl(Target t) {
        return switch (t) {
            case DIRECT -> "http://127.0.0.1:" + fastPort + "/v1/chat/completions";
            case NGINX -> "http://127.0.0.1:" + ngxPort + "/api/task/fast/v1/chat/completions";
            case ATRIUM -> "http://127.0.0.1:" + atrPort + "/api/task/fast/v1/chat/completions";
            case BARE -> "http://127.0.0.1:" + barePort + "/api/task/fast/v1/chat/completions";
        };
    }

    static int ssePortOf(Target t) {
        return switch (t) {
            case DIRECT -> ssePort;
            case NGINX -> ngxPort;
            case ATRIUM -> atrPort;
            case BARE -> barePort;
        };
    }

    static String ssePath(Target t, String query) {
        return switch (t) {
            case DIRECT -> "/sse?" + query;
            case NGINX -> "/sse/sse?" + query;
            case ATRIUM, BARE -> "/api/task/sse/sse?" + query;
        };
    }

    static String token(Target t) {
        return t == Target.ATRIUM ? tokDefault : null;
    }

    static String key(Target t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    // ---- wrk -----------------------------------------------------------------------------------
    record WrkOut(double rps, double p50us, double p99us, long requests, long non2xx, long sockErrors) {
    }

    static Path wrkScript(String token, int delayMs) throws IOException {
        String body = "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the discharge letter in two sentences.\"}],\"max_tokens\":64}";
        StringBuilder sb = new StringBuilder();
        sb.append("wrk.method = \"POST\"\n");
        sb.append("wrk.body = '").append(body).append("'\n");
        sb.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        if (token != null) {
            sb.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
        }
        if (delayMs > 0) {
            // pacing: each connection waits delayMs after every response before sending the next request
            sb.append("function delay() return ").append(delayMs).append(" end\n");
        }
        Path f = work.resolve("wrk-" + Math.abs((token + delayMs).hashCode()) + ".lua");
        Files.writeString(f, sb.toString());
        return f;
    }

    static Proc startWrk(String name, String url, String token, int conns, int secs, int delayMs) throws IOException {
        Path script = wrkScript(token, delayMs);
        return start(name, pinned(loadCore, "wrk", "-t1", "-c" + conns, "-d" + secs + "s", "--latency", "--timeout", "10s",
                "-s", script.toString(), url), Map.of(), true);
    }

    static WrkOut finishWrk(Proc w) throws Exception {
        w.p.waitFor();
        w.reader.join(10_000); // all of its output, not just what arrived before exit
        List<String> out = new ArrayList<>();
        w.lines.drainTo(out);
        procs.remove(w);
        String all = String.join("\n", out);
        double rps = num(all, "Requests/sec:\\s+([\\d.]+)");
        double p50 = dur(all, "\\n\\s+50%\\s+([\\d.]+\\w+)");
        double p99 = dur(all, "\\n\\s+99%\\s+([\\d.]+\\w+)");
        long reqs = (long) num(all, "(\\d+) requests in");
        long non2xx = (long) num(all, "Non-2xx or 3xx responses: (\\d+)");
        long sock = 0;
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(all);
        if (m.find()) {
            sock = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
        }
        if (Double.isNaN(rps)) {
            throw new IllegalStateException("wrk failed: " + all);
        }
        return new WrkOut(rps, p50, p99, reqs, Double.isNaN(non2xx) ? 0 : non2xx, sock);
    }

    static double num(String s, String re) {
        Matcher m = Pattern.compile(re).matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : (re.contains("Non-2xx") ? 0 : Double.NaN);
    }

    static double dur(String s, String re) {
        Matcher m = Pattern.compile(re).matcher(s);
        if (!m.find()) {
            return Double.NaN;
        }
        String v = m.group(1);
        Matcher u = Pattern.compile("([\\d.]+)(us|ms|s|m)").matcher(v);
        if (!u.matches()) {
            return Double.NaN;
        }
        double x = Double.parseDouble(u.group(1));
        return switch (u.group(2)) {
            case "us" -> x;
            case "ms" -> x * 1000;
            case "s" -> x * 1_000_000;
            default -> x * 60_000_000;
        };
    }

    // ---- CPU accounting and pollution ---------------------------------------------------------
    /** A measurement window: system CPU (from /proc/stat) against our own processes' CPU. */
    static final class Window {
        final long t0 = System.nanoTime();
        final long[][] sys0 = procStat();
        final Proc proxy;
        final List<Proc> ours;
        final double proxy0;
        final double ours0;
        double wall;
        double proxyCpu;
        double otherPct;
        double otherProxyCorePct;

        Window(Proc proxy) {
            this.proxy = proxy;
            synchronized (procs) {
                this.ours = new ArrayList<>(procs);
            }
            this.proxy0 = proxy == null ? 0 : proxy.cpuSec();
            this.ours0 = ours.stream().mapToDouble(Proc::cpuSec).sum();
        }

        Window end() {
            wall = (System.nanoTime() - t0) / 1e9;
            long[][] sys1 = procStat();
            proxyCpu = proxy == null ? 0 : proxy.cpuSec() - proxy0;
            double oursCpu = ours.stream().mapToDouble(Proc::cpuSec).sum() - ours0 + ownCpu();
            double busy = busy(sys1[0]) - busy(sys0[0]);
            otherPct = Math.max(0, (busy / clkTck - oursCpu) / wall * 100);
            int pc = Integer.parseInt(proxyCore) + 1;
            if (proxy != null && pc < sys1.length) {
                double coreBusy = (busy(sys1[pc]) - busy(sys0[pc])) / clkTck;
                otherProxyCorePct = Math.max(0, (coreBusy - proxyCpu) / wall * 100);
            }
            return this;
        }

        boolean polluted() {
            return otherPct > maxOtherPct;
        }
    }

    static double ownCpuStart = 0;

    static double ownCpu() {
        return 0; // the orchestrator sleeps during windows; its CPU counts as "other", which errs on the safe side
    }

    /** Busy jiffies: user + nice + system + steal (irq/softirq left out: that is mostly our own loopback traffic). */
    static long busy(long[] c) {
        return c[0] + c[1] + c[2] + (c.length > 7 ? c[7] : 0);
    }

    static long[][] procStat() {
        try {
            List<long[]> rows = new ArrayList<>();
            for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!l.startsWith("cpu")) {
                    break;
                }
                String[] f = l.trim().split("\\s+");
                long[] v = new long[f.length - 1];
                for (int i = 1; i < f.length; i++) {
                    v[i - 1] = Long.parseLong(f[i]);
                }
                rows.add(v);
            }
            return rows.toArray(long[][]::new);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long ticks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static List<Long> children(long pid) {
        List<Long> r = new ArrayList<>();
        try {
            for (String c : Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    r.add(Long.parseLong(c));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return r;
    }

    static long rssOf(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return 0;
    }

    /**
     * Runs one sample; repeats it (bounded) while other processes used more CPU than allowed.
     * Keeps the least polluted try and records what happened.
     */
    static <T> Sampled<T> sample(String label, SampleRun<T> run) throws Exception {
        Sampled<T> best = null;
        int tries = 0;
        while (true) {
            tries++;
            long t = System.nanoTime();
            Sampled<T> s = run.once();
            if (best == null || s.w.otherPct < best.w.otherPct) {
                best = s;
            }
            if (!s.w.polluted() || tries > P.maxRetries || retrySpentMs > P.retryBudgetSec * 1000L) {
                break;
            }
            retrySpentMs += (System.nanoTime() - t) / 1_000_000;
        }
        String msg = String.format(Locale.ROOT, "%s: other CPU %.0f%% of a core (%.0f%% on the proxy's core) after %d %s%s",
                label, best.w.otherPct, best.w.otherProxyCorePct, tries, tries == 1 ? "try" : "tries",
                best.w.polluted() ? " — POLLUTED, kept" : "");
        pollution.add(msg);
        if (best.w.polluted()) {
            add("polluted_samples", 1);
        }
        add("samples", 1);
        log(msg);
        return best;
    }

    interface SampleRun<T> {
        Sampled<T> once() throws Exception;
    }

    record Sampled<T>(T v, Window w) {
    }

    /** wrk for secs seconds with a CPU window over its middle part. */
    static void alive(Proc p) {
        if (p != null && !p.p.isAlive()) {
            throw new IllegalStateException(p.name + " exited (code " + p.p.exitValue() + "), see bench/work/logs/" + p.name + ".log");
        }
    }

    static Sampled<WrkOut> wrkSample(Target t, String url, String token, int conns, int secs, int delayMs) throws Exception {
        return wrkSample(proxyOf(t), url, token, conns, secs, delayMs);
    }

    static Sampled<WrkOut> wrkSample(Proc proxy, String url, String token, int conns, int secs, int delayMs) throws Exception {
        alive(proxy);
        Proc w = startWrk("wrk", url, token, conns, secs, delayMs);
        long lead = Math.min(500, secs * 100L);
        Thread.sleep(lead);
        Window win = new Window(proxy);
        Thread.sleep(secs * 1000L - 2 * lead);
        win.end();
        WrkOut o = finishWrk(w);
        return new Sampled<>(o, win);
    }

    // ---- figures ---------------------------------------------------------------------------------
    static void warm() throws Exception {
        log("warming Atrium and the bare gateway " + P.warmSec + " s each under load");
        for (Target t : List.of(Target.ATRIUM, Target.BARE, Target.NGINX, Target.DIRECT)) {
            streamRun(t, 50, 25, 50);
            if (t == Target.NGINX || t == Target.DIRECT) {
                finishWrk(startWrk("wrk", fastUrl(t), token(t), 64, 2, 0));
                continue;
            }
            warmUntilStable(key(t), fastUrl(t), token(t));
            streamRun(t, 200, 25, 100);
        }
    }

    /**
     * JIT warm-up: at least warmSec, then until three 3-second rounds in a row agree within 5 %
     * (cap 4 × warmSec). Two rounds within 10 % stopped too early at one CPU, where C2 competes with
     * the load for the core: the first full run measured figure 1 at a third of the warm rate. A
     * node started late (figure 8's cluster nodes) needs this as much as the first: warmed for a
     * fixed 20 s it was measured at 0.42× a node warmed for a quarter of an hour, at 0.88× once both
     * were warm (CPU per call, 2026-12-02).
     */
    /** The results file's last two sections: the pollution log (after {@code intro}) and every raw sample. */
    static void appendPollutionAndSamples(StringBuilder b, String intro) {
        b.append("\n## Pollution log\n\n").append(intro).append("```\n");
        for (String p : pollution) {
            b.append(p).append('\n');
        }
        b.append("```\n\n## Raw samples\n\n```\n");
        for (var e : R.entrySet()) {
            b.append(e.getKey()).append(" = ").append(e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList()).append('\n');
        }
        b.append("```\n");
    }

    static void warmUntilStable(String name, String url, String token) throws Exception {
        long end = System.nanoTime() + P.warmSec * 1_000_000_000L;
        long cap = System.nanoTime() + 4L * P.warmSec * 1_000_000_000L;
        List<Double> recent = new ArrayList<>();
        int rounds = 0;
        while (true) {
            double rps = finishWrk(startWrk("wrk", url, token, 64, 3, 0)).rps();
            rounds++;
            recent.add(rps);
            if (recent.size() > 3) {
                recent.remove(0);
            }
            double lo = recent.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = recent.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            boolean stable = recent.size() == 3 && hi > 0 && (hi - lo) / hi < 0.05;
            if ((System.nanoTime() > end && stable) || System.nanoTime() > cap) {
                notes.add(String.format(Locale.ROOT, "Warm-up of %s: %d rounds of 3 s, last %.0f req/s%s.", name, rounds, rps,
                        stable ? "" : " (not stable at the cap)"));
                return;
            }
        }
    }

    static void saturation() throws Exception {
        log("figure 1/2: saturation throughput and CPU per request");
        for (int rep = 0; rep < P.reps; rep++) {
            for (Target t : Target.values()) {
                Proc proxy = proxyOf(t);
                Sampled<WrkOut> sw = sample("saturation " + key(t) + " rep " + (rep + 1),
                        () -> wrkSample(t, fastUrl(t), token(t), 64, P.satSec, 0));
                WrkOut s = sw.v();
                add("sat.rps." + key(t), s.rps());
                add("sat.p50." + key(t), s.p50us());
                add("sat.errors." + key(t), s.non2xx() + s.sockErrors());
                if (proxy != null) {
                    double cpuFrac = sw.w().proxyCpu / sw.w().wall;
                    add("sat.cpufrac." + key(t), cpuFrac * 100);
                    add("sat.cpuus." + key(t), cpuFrac * 1e6 / s.rps());
                    add("sat.percore." + key(t), s.rps() / Math.max(cpuFrac, 1e-9));
                }
            }
        }
    }

    static void fixedLoad() throws Exception {
        log("figure 3: latency at fixed loads");
        for (int rate : P.rates) {
            int delay = 10;
            int conns = Math.max(1, rate * delay / 1000);
            for (int rep = 0; rep < P.reps; rep++) {
                for (Target t : Target.values()) {
                    WrkOut o = sample("fixed " + rate + "/s " + key(t) + " rep " + (rep + 1),
                            () -> wrkSample(t, fastUrl(t), token(t), conns, P.fixedSec, delay)).v();
                    add("fixed." + rate + ".p50." + key(t), o.p50us());
                    add("fixed." + rate + ".p99." + key(t), o.p99us());
                    add("fixed." + rate + ".rps." + key(t), o.rps());
                    add("fixed." + rate + ".errors." + key(t), o.non2xx() + o.sockErrors());
                }
            }
        }
    }

    static Map<String, String> streamRun(Target t, int streams, int chunks, int spreadMs) throws Exception {
        String path = ssePath(t, "n=" + chunks + "&ms=20");
        client.lines.clear();
        client.in.println("mode=measure port=" + ssePortOf(t) + " path=" + path + (token(t) == null ? "" : " token=" + token(t))
                + " streams=" + streams + " spread_ms=" + spreadMs);
        while (true) {
            String l = client.lines.poll(120, TimeUnit.SECONDS);
            if (l == null) {
                throw new IllegalStateException("stream client timed out");
            }
            if (l.startsWith("RESULT ")) {
                Map<String, String> m = new HashMap<>();
                for (String kv : l.substring(7).split(" ")) {
                    int e = kv.indexOf('=');
                    m.put(kv.substring(0, e), kv.substring(e + 1));
                }
                return m;
            }
        }
    }

    static void streaming() throws Exception {
        log("figure 4: streaming");
        for (int c : P.streamCounts) {
            for (int rep = 0; rep < P.reps; rep++) {
                for (Target t : Target.values()) {
                    boolean jvm = t == Target.ATRIUM || t == Target.BARE;
                    var sm = sample("streams " + c + " " + key(t) + " rep " + (rep + 1), () -> {
                        double[] gc0 = jvm ? gcPauses(proxyOf(t)) : null;
                        Window w = new Window(proxyOf(t));
                        Map<String, String> r = new HashMap<>(streamRun(t, c, P.chunks, c == 1 ? 0 : 1000));
                        Window wr = w.end();
                        if (jvm) {
                            double[] gc1 = gcPauses(proxyOf(t));
                            r.put("gc_pauses", Double.toString(gc1[0] - gc0[0]));
                            r.put("gc_ms", Double.toString(gc1[1] - gc0[1]));
                        }
                        return new Sampled<>(r, wr);
                    });
                    Map<String, String> m = sm.v();
                    if (proxyOf(t) != null) {
                        add("sse." + c + ".cpu_us_per_chunk." + key(t), sm.w().proxyCpu * 1e6 / Math.max(1, Double.parseDouble(m.get("chunks"))));
                    }
                    String k = "sse." + c + ".";
                    for (String f : List.of("ttfb_p50_us", "delay_p50_us", "delay_p99_us", "delay_max_us", "burst_pct")) {
                        add(k + f + "." + key(t), Double.parseDouble(m.get(f)));
                    }
                    add(k + "errors." + key(t), Double.parseDouble(m.get("errors")));
                    add(k + "chunks." + key(t), Double.parseDouble(m.get("chunks")));
                    if (jvm) {
                        add(k + "gc_pauses." + key(t), Double.parseDouble(m.get("gc_pauses")));
                        add(k + "gc_ms." + key(t), Double.parseDouble(m.get("gc_ms")));
                    }
                }
            }
        }
    }

    /**
     * Stop-the-world GC pauses of a JVM so far and their total ms ({@code jstat -gc}, run on the load
     * core): young and full collections, and G1's concurrent cycles (their remark and cleanup pauses).
     * A streamed chunk's delay at the 1,000-stream peak is mostly whether such a pause fell in it.
     */
    static double[] gcPauses(Proc p) {
        String[] lines = sh("taskset", "-c", loadCore, jdkBin + "/jstat", "-gc", Long.toString(p.pid())).trim().split("\n");
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] v = lines[lines.length - 1].trim().split("\\s+");
        double n = 0;
        double ms = 0;
        for (String c : List.of("YGC", "FGC", "CGC")) {
            n += num(v[names.indexOf(c)]);
            ms += num(v[names.indexOf(c + "T")]) * 1000;
        }
        return new double[] {n, ms};
    }

    private static double num(String s) {
        return s.equals("-") ? 0 : Double.parseDouble(s);
    }

    /**
     * Figure 8: a second Atrium with {@code state.backend: redis} (limits, quotas and bans through a
     * local redis-server on the load core), saturated alternately with the embedded one; per-core
     * throughput of the cluster node ÷ the embedded node.
     */
    static void cluster() throws Exception {
        String redisBin = sh("sh", "-c", "command -v redis-server || true").trim();
        if (redisBin.isEmpty()) {
            notes.add("Figure 8 not measured: redis-server is not installed.");
            return;
        }
        log("figure 8: cluster mode (Redis-backed state and global limits) vs embedded");
        int redisPort = freePort();
        int clusterPort = freePort();
        int clusterAdmin = freePort();
        Path rdir = work.resolve("redis");
        deleteTree(rdir);
        Files.createDirectories(rdir);
        Proc redis = start("redis", pinned("0", redisBin, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", rdir.toString()), Map.of(), false);
        Path data = work.resolve("gw-redis-data");
        deleteTree(data);
        Files.createDirectories(data);
        Path cfg = atriumConfig(work.resolve("gw-redis.yaml"), clusterPort, clusterAdmin);
        Files.writeString(cfg, Files.readString(cfg) + "state:\n  backend: redis\n  redis:\n    address: redis://127.0.0.1:"
                + redisPort + "\n");
        Proc node = start("atrium-redis", atriumCmd(proxyCore, List.of(), cfg, data), Map.of("JWT_SECRET", JWT_SECRET), false);
        // The same cluster node with daily request and token quotas (far above the load): quotas are
        // never leased, so every call costs one round trip plus an asynchronous token settle.
        int quotaPort = freePort();
        Path qdata = work.resolve("gw-redis-quota-data");
        deleteTree(qdata);
        Files.createDirectories(qdata);
        Path qcfg = work.resolve("gw-redis-quota.yaml");
        Files.writeString(qcfg, Files.readString(cfg).replace("port: " + clusterPort, "port: " + quotaPort)
                .replace("port: " + clusterAdmin, "port: " + freePort())
                .replace("limits:\n", "limits:\n  tenant_daily_request_quota: 1000000000000\n  tenant_daily_token_quota: 1000000000000\n"));
        Proc quotaNode = start("atrium-redis-quota", atriumCmd(proxyCore, List.of(), qcfg, qdata), Map.of("JWT_SECRET", JWT_SECRET), false);
        try {
            waitPort(redisPort, 10_000);
            waitReady(clusterPort, 120_000);
            waitReady(quotaPort, 120_000);
            String url = "http://127.0.0.1:" + clusterPort + "/api/task/fast/v1/chat/completions";
            String quotaUrl = "http://127.0.0.1:" + quotaPort + "/api/task/fast/v1/chat/completions";
            redisCommandsPerCall(redisPort, url, "cluster.redis_cmds_per_call", "the cluster node");
            redisCommandsPerCall(redisPort, quotaUrl, "cluster.quota.redis_cmds_per_call", "the cluster node with quotas");
            warmUntilStable("the cluster node", url, tokDefault);
            warmUntilStable("the cluster node with quotas", quotaUrl, tokDefault);
            for (int rep = 0; rep < P.reps; rep++) {
                Sampled<WrkOut> emb = sample("cluster: embedded rep " + (rep + 1),
                        () -> wrkSample(atrium, fastUrl(Target.ATRIUM), tokDefault, 64, P.satSec, 0));
                Sampled<WrkOut> red = sample("cluster: redis rep " + (rep + 1),
                        () -> wrkSample(node, url, tokDefault, 64, P.satSec, 0));
                Sampled<WrkOut> quo = sample("cluster: redis with quotas rep " + (rep + 1),
                        () -> wrkSample(quotaNode, quotaUrl, tokDefault, 64, P.satSec, 0));
                double e = emb.v().rps() / Math.max(emb.w().proxyCpu / emb.w().wall, 1e-9);
                double r = red.v().rps() / Math.max(red.w().proxyCpu / red.w().wall, 1e-9);
                double q = quo.v().rps() / Math.max(quo.w().proxyCpu / quo.w().wall, 1e-9);
                add("cluster.percore.embedded", e);
                add("cluster.percore.redis", r);
                add("cluster.ratio", r / e);
                add("cluster.rps.redis", red.v().rps());
                add("cluster.errors.redis", red.v().non2xx() + red.v().sockErrors());
                add("cluster.quota.percore", q);
                add("cluster.quota.ratio", q / e);
                add("cluster.quota.errors", quo.v().non2xx() + quo.v().sockErrors());
            }
        } finally {
            stop(quotaNode);
            stop(node);
            stop(redis);
        }
    }

    /**
     * Figure 10: back-to-back calls, every other one on a fresh connection ({@code Connection: close})
     * and the rest kept alive, through a route whose backend closes each upstream connection after
     * five answers — the mix that made Helidon 4.2's client pool race (helidon#10861) answer 502.
     * Counts every non-2xx and socket error over 200,000 calls (quick: 20,000).
     */
    static void noSpurious502() throws Exception {
        long target = mode == Mode.FULL ? 200_000 : 20_000;
        log("figure 10: " + target + " back-to-back calls mixing Connection: close and keep-alive");
        String body = "{\"model\":\"closing\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
        Path script = work.resolve("wrk-mixed-close.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + tokDefault + "\"\n"
                + "local n = 0\n"
                + "request = function()\n  n = n + 1\n"
                + "  if n % 2 == 0 then wrk.headers[\"Connection\"] = \"close\" else wrk.headers[\"Connection\"] = nil end\n"
                + "  return wrk.format()\nend\n");
        long calls = 0;
        long bad = 0;
        long sockErr = 0;
        int runs = 0;
        while (calls < target && runs < 40) {
            runs++;
            Proc w = start("wrk-mixed", pinned(loadCore, "wrk", "-t1", "-c16", "-d10s", "--timeout", "10s", "-s",
                    script.toString(), "http://127.0.0.1:" + atrPort + "/api/task/closing/v1/chat/completions"), Map.of(), true);
            WrkOut o = finishWrk(w);
            calls += o.requests();
            bad += o.non2xx();
            sockErr += o.sockErrors();
        }
        add("soak.calls", calls);
        add("soak.non2xx", bad);
        add("soak.sock", sockErr);
    }

    /**
     * Redis commands the cluster node sends per call: {@code redis-cli MONITOR} during 2 s of calls
     * one after another (one connection, so no two calls contend for a key), counting the commands clients sent (not those a Lua script ran inside Redis); the
     * node's background pings and change checks (a few a second) are included.
     */
    static void redisCommandsPerCall(int redisPort, String url, String key, String who) throws Exception {
        if (sh("sh", "-c", "command -v redis-cli || true").isBlank()) {
            notes.add("Redis commands per call not counted: redis-cli is not installed.");
            return;
        }
        Proc mon = start("redis-monitor", pinned(loadCore, "redis-cli", "-p", Integer.toString(redisPort), "monitor"), Map.of(), true);
        Thread.sleep(300);
        WrkOut o = finishWrk(startWrk("wrk", url, tokDefault, 1, 2, 0));
        Thread.sleep(300);
        stop(mon);
        mon.reader.join(5_000);
        List<String> lines = new ArrayList<>(mon.lines);
        Map<String, Integer> byCommand = new TreeMap<>();
        int total = 0;
        for (String l : lines) {
            int q = l.indexOf("] \"");
            if (q < 0 || l.contains(" lua] ")) {
                continue; // the "OK" line, or a command run by a script inside Redis
            }
            int end = l.indexOf('"', q + 3);
            String cmd = end < 0 ? "?" : l.substring(q + 3, end).toUpperCase(Locale.ROOT);
            byCommand.merge(cmd, 1, Integer::sum);
            total++;
        }
        double calls = Math.max(1, o.requests());
        add(key, total / calls);
        StringBuilder b = new StringBuilder();
        byCommand.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", v / calls)));
        notes.add(String.format(Locale.ROOT, "Figure 8: %.2f Redis commands per call sent by %s (%d commands over %d calls, "
                + "redis-cli MONITOR, script-internal commands not counted): %s.", total / calls, who, total, o.requests(), b));
        log(notes.get(notes.size() - 1));
    }

    /** {@code bench/run.sh --cluster}: figure 8 alone (the embedded node, then the cluster node beside it). */
    static void clusterOnly() throws Exception {
        long start = System.nanoTime();
        startProxies();
        setUpAtrium();
        log("warming the embedded node");
        warmUntilStable("the embedded node", fastUrl(Target.ATRIUM), tokDefault);
        cluster();
        Path out = work.resolve("results-cluster.md");
        StringBuilder b = new StringBuilder("# Atrium figure 8 alone — " + LocalDate.now() + ", " + sh("hostname").trim() + "\n\n");
        b.append("Generated by `bench/run.sh --cluster` in ").append((System.nanoTime() - start) / 1_000_000_000).append(" s at ")
                .append(sh("git", "-C", root.toString(), "log", "-1", "--format=%h %s").trim()).append(". Medians over ")
                .append(P.reps).append(" alternating repetitions, min–max in brackets.\n\n");
        if (has("cluster.ratio")) {
            b.append("| figure | value |\n|---|---|\n");
            b.append("| per-core throughput, cluster node / embedded node, req/s | ").append(mm("cluster.percore.redis", "%.0f"))
                    .append(" / ").append(mm("cluster.percore.embedded", "%.0f")).append(" |\n");
            b.append("| cluster ÷ embedded (per core) | ").append(mm("cluster.ratio", "%.2f")).append(" × |\n");
            b.append("| cluster node req/s; non-2xx + socket errors | ").append(mm("cluster.rps.redis", "%.0f")).append("; ")
                    .append(mm("cluster.errors.redis", "%.0f")).append(" |\n");
            if (has("cluster.redis_cmds_per_call")) {
                b.append("| Redis commands per call | ").append(mm("cluster.redis_cmds_per_call", "%.2f")).append(" |\n");
            }
            if (has("cluster.quota.ratio")) {
                b.append("| with daily request and token quotas: per-core req/s; ÷ embedded; errors | ")
                        .append(mm("cluster.quota.percore", "%.0f")).append("; ").append(mm("cluster.quota.ratio", "%.2f"))
                        .append(" ×; ").append(mm("cluster.quota.errors", "%.0f")).append(" |\n");
                b.append("| with quotas: Redis commands per call | ").append(mm("cluster.quota.redis_cmds_per_call", "%.2f")).append(" |\n");
            }
        }
        b.append("\n## Notes\n\n");
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        for (String n : pollution) {
            b.append("- ").append(n).append('\n');
        }
        Files.writeString(out, b.toString());
        log("figure 8 written to " + out);
        System.out.print(b);
    }

    static void fairness() throws Exception {
        log("figure 7: fairness");
        String url = "http://127.0.0.1:" + atrPort + "/api/task/fair/slow?ms=20";
        // victim alone: ~20 req/s on 2 connections
        for (int rep = 0; rep < Math.max(1, P.reps - 1); rep++) {
            WrkOut alone = sample("fairness victim alone rep " + (rep + 1), () -> wrkSample(Target.ATRIUM, url, tokVictim, 2, P.fairSec, 100)).v();
            add("fair.alone.p50", alone.p50us());
            add("fair.alone.p99", alone.p99us());
            Proc flood = startWrk("wrk-flood", url, tokFlood, 64, P.fairSec + 3, 0);
            Thread.sleep(1500);
            WrkOut victim = sample("fairness victim under flood rep " + (rep + 1), () -> wrkSample(Target.ATRIUM, url, tokVictim, 2, P.fairSec, 100)).v();
            WrkOut f = finishWrk(flood);
            add("fair.flood.p50", victim.p50us());
            add("fair.flood.p99", victim.p99us());
            add("fair.flood.victim_rps", victim.rps());
            add("fair.flood.victim_errors", victim.non2xx() + victim.sockErrors());
            add("fair.flood.flooder_rps", f.rps());
            add("fair.flood.flooder_p50", f.p50us());
            add("fair.flood.flooder_errors", f.non2xx() + f.sockErrors());
        }
    }

    static void memory() throws Exception {
        long fdLimit = Long.parseLong(sh("sh", "-c", "ulimit -n").trim());
        int memStreams = (int) Math.min(P.memStreams, (fdLimit - 1000) / 2 / 100 * 100);
        if (memStreams < P.memStreams) {
            notes.add("Open-file limit " + fdLimit + " (hard limit, not raisable here) allows " + memStreams
                    + " streams through a proxy (2 sockets each), not " + P.memStreams + "; the 10,000-stream RSS is extrapolated "
                    + "linearly from the per-stream growth measured at " + memStreams + ".");
        }
        text.put("mem.count", Integer.toString(memStreams));
        log("figure 5: memory with " + memStreams + " open streams, then " + P.slowStreams + " slow readers");
        for (Target t : List.of(Target.ATRIUM, Target.NGINX)) {
            Proc proxy = proxyOf(t);
            long before = proxy.rssKb();
            int secs = Math.max(30, memStreams / 1000 + 20);
            Proc hold = start("hold-" + key(t), pinned(loadCore, javaBin, "-Xss256k", "-cp", work.resolve("classes").toString(),
                    "StreamClient", "mode=hold", "port=" + ssePortOf(t), "path=" + ssePath(t, "n=" + secs + "&ms=1000"),
                    "streams=" + memStreams, "ramp_per_s=1000", "token=" + (t == Target.ATRIUM ? tokDefault : "none")),
                    Map.of(), true);
            String open = awaitLine(hold, "ALL_OPEN", secs * 1000L + 30_000);
            long peak = 0;
            for (int i = 0; i < 5; i++) {
                peak = Math.max(peak, proxy.rssKb());
                Thread.sleep(1000);
            }
            if (t == Target.ATRIUM) {
                add("mem.live_heap_mb.atrium", liveHeapMb(proxy, "mem.heap_info"));
                add("mem.after_gc_rss_mb.atrium", proxy.rssKb() / 1024.0);
            }
            add("mem.before_streams_mb." + key(t), before / 1024.0);
            add("mem.streams_mb." + key(t), peak / 1024.0);
            add("mem.per_stream_kb." + key(t), (peak - before) / (double) memStreams);
            add("mem.at10k_mb." + key(t), (before + (peak - before) * 10_000.0 / memStreams) / 1024.0);
            text.put("mem.open." + key(t), open == null ? "not all streams opened in time" : open);
            stop(hold);
            String res = lastResult(hold);
            text.put("mem.result." + key(t), res);
            log(key(t) + " RSS " + before / 1024 + " MB -> " + peak / 1024 + " MB with " + memStreams + " streams (" + open + ")");
            Thread.sleep(3000);
        }
        // slow readers: the stub writes ~4 KiB events every 2 ms per stream; the client reads 4 KiB a second
        Proc proxy = atrium;
        Proc slow = start("slow-readers", pinned(loadCore, javaBin, "-cp", work.resolve("classes").toString(),
                "StreamClient", "mode=slow", "port=" + atrPort, "path=" + ssePath(Target.ATRIUM, "n=100000&ms=2&pad=4096"),
                "streams=" + P.slowStreams, "ramp_per_s=500", "read_bytes=4096", "token=" + tokDefault), Map.of(), true);
        awaitLine(slow, "ALL_OPEN", 60_000);
        Thread.sleep(2000);
        // What the gateway holds (heap in use after a full GC), whatever size the collector has grown the
        // heap to: G1 grows and shrinks it with GC overhead, so RSS alone mixes buffering with sizing.
        double h0 = liveHeapMb(proxy, "mem.slow_heap_info");
        Thread.sleep(2000);
        long r0 = proxy.rssKb();
        long sseCpu0 = (long) (sse.cpuSec() * 1000);
        Thread.sleep(P.slowSec * 1000L);
        long r1 = proxy.rssKb();
        long sseCpu1 = (long) (sse.cpuSec() * 1000);
        add("mem.slow_start_mb", r0 / 1024.0);
        add("mem.slow_end_mb", r1 / 1024.0);
        add("mem.slow_heap_start_mb", h0);
        add("mem.slow_heap_end_mb", liveHeapMb(proxy, "mem.slow_heap_info"));
        add("mem.slow_stub_cpu_ms", sseCpu1 - sseCpu0);
        stop(slow);
        log("slow readers: Atrium RSS " + r0 / 1024 + " MB -> " + r1 / 1024 + " MB over " + P.slowSec + " s");
        Thread.sleep(2000);
        rss("after_memory", "atrium", atrium);
    }

    /** Heap in use after a full GC (jcmd GC.run), MB: the gateway's live data; GC.heap_info's text goes to {@code key}. */
    static double liveHeapMb(Proc p, String key) {
        sh(jdkBin + "/jcmd", Long.toString(p.pid()), "GC.run");
        String hi = sh(jdkBin + "/jcmd", Long.toString(p.pid()), "GC.heap_info");
        long usedKb = 0;
        Matcher hm = Pattern.compile("used (\\d+)K").matcher(hi);
        while (hm.find()) {
            usedKb = Math.max(usedKb, Long.parseLong(hm.group(1)));
        }
        text.put(key, hi.replace('\n', ' ').replaceAll("\\s+", " "));
        return usedKb / 1024.0;
    }

    static String awaitLine(Proc p, String prefix, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            String l = p.lines.poll(500, TimeUnit.MILLISECONDS);
            if (l != null && l.startsWith(prefix)) {
                return l;
            }
            if (l == null && !p.p.isAlive()) {
                return null;
            }
        }
        return null;
    }

    static String lastResult(Proc p) throws InterruptedException {
        String r = null;
        String l;
        while ((l = p.lines.poll(200, TimeUnit.MILLISECONDS)) != null) {
            if (l.startsWith("RESULT")) {
                r = l;
            }
        }
        return r;
    }

    static void rss(String label, String who, Proc p) {
        add("rss." + label + "." + who, p.rssKb() / 1024.0);
    }

    /**
     * Figure 6: start-up of the installed package, as a hospital gets it. run.sh hands over the
     * .tar.gz (built by installer/build.sh, the same app image and build-time AOT training as the
     * .deb and .rpm) in -Dbench.package; it is unpacked and laid out with its own
     * {@code install.sh --root} (what the packages install: /opt/atrium, /etc/atrium, /var/lib/atrium
     * under a temporary root), then started the way the systemd unit starts it, through
     * {@code /opt/atrium/bin/atrium-gateway} with the package's runtime and its shipped
     * {@code atrium-gateway.aot}, and once per pair with that cache removed. No JVM flag is added to
     * the timed starts; one untimed start with {@code -Xlog:aot,class+load} (JAVA_TOOL_OPTIONS)
     * checks that the JVM maps the cache and counts the classes it takes from it.
     */
    static void startupFigure() throws Exception {
        if (P.startReps == 0) {
            return;
        }
        String pkgProp = System.getProperty("bench.package", "");
        if (pkgProp.isEmpty() || !Files.isRegularFile(Path.of(pkgProp))) {
            notes.add("Figure 6 not measured: " + System.getProperty("bench.package.why", "no package built") + ".");
            return;
        }
        Path pkg = Path.of(pkgProp).toAbsolutePath();
        log("figure 6: start-up to /ready of the installed package " + pkg.getFileName());
        Path inst = work.resolve("installed");
        deleteTree(inst);
        Path unpacked = Files.createDirectories(inst.resolve("unpacked"));
        Path rootDir = inst.resolve("root");
        checked("tar", "-xzf", pkg.toString(), "-C", unpacked.toString());
        Path dir;
        try (var l = Files.list(unpacked)) {
            dir = l.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        checked(dir.resolve("install.sh").toString(), "--root", rootDir.toString());
        Path launcher = rootDir.resolve("opt/atrium/bin/atrium-gateway");
        Path aot = rootDir.resolve("opt/atrium/lib/app/atrium-gateway.aot");
        Path aotOff = aot.resolveSibling("atrium-gateway.aot.removed");
        Path data = rootDir.resolve("var/lib/atrium");
        int port = freePort();
        int adm = freePort();
        // the bench's routes and ports in place of the shipped default (which listens on 8080/8081)
        Path cfg = atriumConfig(rootDir.resolve("etc/atrium/atrium.yaml"), port, adm);
        // the unit's environment (ATRIUM_DATA_DIR, group-readable admin token); secrets come from the data dir
        Map<String, String> env = Map.of("ATRIUM_DATA_DIR", data.toString(), "ATRIUM_ADMIN_TOKEN_GROUP_READABLE", "true");
        List<String> cmd = List.of(launcher.toString(), "--config", cfg.toString(), "--data-dir", data.toString());
        text.put("start.package", pkg.getFileName() + " (" + Files.size(pkg) / 1_000_000 + " MB, built "
                + Files.getLastModifiedTime(pkg).toInstant().toString().substring(0, 16).replace('T', ' ') + " UTC)"
                + System.getProperty("bench.package.note", ""));
        notes.add("Figure 6 measures the installed package: " + pkg.getFileName() + " unpacked and laid out by its own"
                + " `install.sh --root bench/work/installed/root`, the gateway started as the systemd unit starts it"
                + " (`/opt/atrium/bin/atrium-gateway --config /etc/atrium/atrium.yaml --data-dir /var/lib/atrium`, the bench's"
                + " routes and ports in that config) under `taskset`, with the package's own runtime and launcher options;"
                + " timed from spawn to the first 200 on `GET /ready` (polled every 5 ms), a restart on an existing data dir, "
                + P.startReps + " repetitions alternating cache removed / shipped cache.");
        boolean haveAot = Files.isRegularFile(aot) && Files.size(aot) > 0;
        if (!haveAot) {
            notes.add("The package ships no AOT cache (opt/atrium/lib/app/atrium-gateway.aot): built with ATRIUM_AOT=false?");
        } else {
            text.put("aot.size_mb", String.format(Locale.ROOT, "%.0f", Files.size(aot) / 1048576.0));
        }

        // First start: creates the secrets and the database (untimed; the timed ones are restarts), and
        // shows with the JVM's own log whether the shipped cache is mapped and how much it serves.
        Path aotLog = logs.resolve("installed-aot.log");
        Path classLog = logs.resolve("installed-class-load.log");
        Files.deleteIfExists(aotLog);
        Files.deleteIfExists(classLog);
        Map<String, String> verifyEnv = new LinkedHashMap<>(env);
        verifyEnv.put("JAVA_TOOL_OPTIONS", "-Xlog:aot=info,cds=info:file=" + aotLog + " -Xlog:class+load=info:file=" + classLog);
        Proc first = start("installed-first-start", pinned("0,1", cmd.toArray(String[]::new)), verifyEnv, false);
        waitReady(port, 120_000);
        stop(first);
        if (haveAot) {
            String al = Files.exists(aotLog) ? Files.readString(aotLog) : "";
            boolean mapped = al.contains("Opened AOT cache") && al.contains("Using AOT-linked classes: true");
            long shared = 0;
            long total = 0;
            long fromJars = 0;
            if (Files.exists(classLog)) {
                for (String l : Files.readAllLines(classLog)) {
                    if (l.contains("source:")) {
                        total++;
                        if (l.contains("source: shared objects file")) {
                            shared++;
                        } else if (l.contains("source: file:")) {
                            fromJars++;
                        }
                    }
                }
            }
            text.put("start.aot_verified", (mapped ? "cache mapped" : "**cache NOT used**") + " (`-Xlog:aot`: "
                    + (al.contains("Opened AOT cache") ? "\"Opened AOT cache\"" : "no \"Opened AOT cache\"") + ", "
                    + (al.contains("Using AOT-linked classes: true") ? "\"Using AOT-linked classes: true\"" : "no AOT-linked classes")
                    + "); " + shared + " of " + total + " classes loaded by this first start (to /ready, stopped right after) came from it"
                    + " (`-Xlog:class+load`: source: shared objects file), " + fromJars + " from jars");
            if (!mapped) {
                notes.add("Figure 6: the JVM did not use the shipped AOT cache, see logs/installed-aot.log.");
            }
        }

        for (int rep = 0; rep < P.startReps; rep++) {
            for (String cores : List.of(proxyCore, "0,1")) {
                for (boolean useAot : haveAot ? List.of(false, true) : List.of(false)) {
                    String k = "start." + (cores.contains(",") ? "2cores" : "1core") + "." + (useAot ? "aot" : "plain");
                    if (!useAot) {
                        Files.move(aot, aotOff);
                    }
                    try {
                        Window w = new Window(null);
                        long t0 = System.nanoTime();
                        Proc p = start("installed-start", pinned(cores, cmd.toArray(String[]::new)), env, false);
                        waitReady(port, 120_000);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        double cpu = p.cpuSec();
                        w.end();
                        add(k + ".ms", ms);
                        add(k + ".cpu", cpu);
                        add(k + ".rss", p.rssKb() / 1024.0);
                        // the window's "ours" was taken before this JVM existed: its CPU is not someone else's
                        double other = Math.max(0, w.otherPct - cpu / w.wall * 100);
                        add("start.other_pct", other);
                        pollution.add(String.format(Locale.ROOT, "start-up %s rep %d: other CPU %.0f%% of a core", k, rep + 1, other));
                        stop(p);
                        String out = Files.readString(logs.resolve("installed-start.log"));
                        out.lines().filter(l -> l.contains("[aot") || l.contains("[cds"))
                                .map(l -> l.replaceFirst("^\\[[0-9.]+s\\]", "").replaceAll(" {2,}", " ").strip()).distinct()
                                .forEach(l -> text.merge("start.jvm_lines." + (useAot ? "aot" : "plain"), "`" + l + "`",
                                        (a, b) -> a.contains(b) ? a : a + "; " + b));
                    } finally {
                        if (!useAot) {
                            Files.move(aotOff, aot);
                        }
                    }
                }
            }
        }
    }

    /** Runs a command to its end and fails the figure when it fails. */
    static void checked(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + s);
        }
    }

    static void profileJfr() throws Exception {
        if (P.jfrSec == 0) {
            return;
        }
        log("JFR profile of Atrium under saturation for " + P.jfrSec + " s");
        Path jfr = work.resolve("atrium.jfr");
        Files.deleteIfExists(jfr);
        String pid = Long.toString(atrium.pid());
        sh(jdkBin + "/jcmd", pid, "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
        WrkOut o = finishWrk(startWrk("wrk", fastUrl(Target.ATRIUM), tokDefault, 64, P.jfrSec, 0));
        sh(jdkBin + "/jcmd", pid, "JFR.stop", "name=bench");
        text.put("jfr.rps", String.format(Locale.ROOT, "%.0f", o.rps()));
        text.put("jfr.hot", sh(jdkBin + "/jfr", "view", "--width", "160", "hot-methods", jfr.toString()));
        text.put("jfr.cpu", sh(jdkBin + "/jfr", "view", "--width", "160", "cpu-load", jfr.toString()));
        text.put("jfr.gc", sh(jdkBin + "/jfr", "view", "--width", "160", "gc-pauses", jfr.toString()));
        text.put("jfr.alloc", sh(jdkBin + "/jfr", "view", "--width", "160", "allocation-by-class", jfr.toString()));
        // inclusive samples per Atrium method: which of our own frames are on the stack most often
        String print = sh(jdkBin + "/jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", jfr.toString());
        Map<String, Integer> inclusive = new TreeMap<>();
        Map<String, Integer> selfTop = new TreeMap<>();
        int samples = 0;
        boolean inStack = false;
        boolean first = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String l : print.split("\n")) {
            String s = l.trim();
            if (s.startsWith("stackTrace = [")) {
                inStack = true;
                first = true;
                seen.clear();
                samples++;
                continue;
            }
            if (inStack && s.startsWith("]")) {
                inStack = false;
                continue;
            }
            if (inStack && !s.isEmpty() && !s.equals("...")) {
                String frame = s.replaceAll("\\s+line:.*$", "").replaceAll("\\(.*\\)", "");
                if (first) {
                    String pkg = frame.contains(".") ? frame.substring(0, frame.lastIndexOf('.', frame.lastIndexOf('.') - 1)) : frame;
                    selfTop.merge(pkg, 1, Integer::sum);
                    first = false;
                }
                if (frame.startsWith("org.atrium.") && seen.add(frame)) {
                    inclusive.merge(frame, 1, Integer::sum);
                }
            }
        }
        text.put("jfr.samples", Integer.toString(samples));
        text.put("jfr.inclusive", top(inclusive, samples, 25));
        text.put("jfr.toppkg", top(selfTop, samples, 15));
    }

    static String top(Map<String, Integer> m, int total, int n) {
        StringBuilder sb = new StringBuilder();
        m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n).forEach(e -> sb.append(
                String.format(Locale.ROOT, "| %s | %d | %.1f %% |%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, total))));
        return sb.toString();
    }

    // ---- smoke --------------------------------------------------------------------------------
    static void smoke() throws Exception {
        startProxies();
        setUpAtrium();
        List<String> bad = new ArrayList<>();
        for (Target t : Target.values()) {
            Map<String, String> m = streamRun(t, 2, P.chunks, 0); // also warms the path a little
            log("smoke " + key(t) + " stream: " + m);
            if (!"0".equals(m.get("errors")) || !(Integer.parseInt(m.get("chunks")) == 2 * P.chunks)) {
                bad.add(key(t) + " stream");
            }
            WrkOut o = finishWrk(startWrk("wrk", fastUrl(t), token(t), 4, 2, 0));
            log(String.format(Locale.ROOT, "smoke %s: %.0f req/s, %d non-2xx, %d socket errors", key(t), o.rps(), o.non2xx(), o.sockErrors()));
            if (o.requests() == 0 || o.non2xx() > 0 || o.sockErrors() > 0) {
                bad.add(key(t) + " plain");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalStateException("smoke failed: " + bad);
        }
        System.out.println("SMOKE OK");
    }

    // ---- results ------------------------------------------------------------------------------
    static boolean has(String k) {
        return R.containsKey(k) && !R.get(k).isEmpty();
    }

    static void add(String k, double v) {
        R.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    static double med(String k) {
        List<Double> l = R.get(k);
        if (l == null || l.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(String k) {
        return R.getOrDefault(k, List.of()).stream().mapToDouble(x -> x).min().orElse(Double.NaN);
    }

    static double max(String k) {
        return R.getOrDefault(k, List.of()).stream().mapToDouble(x -> x).max().orElse(Double.NaN);
    }

    static double sum(String k) {
        return R.getOrDefault(k, List.of()).stream().mapToDouble(x -> x).sum();
    }

    /** "median (min–max)" with the given format. */
    static String mm(String k, String fmt) {
        if (!R.containsKey(k)) {
            return "—";
        }
        if (R.get(k).size() == 1) {
            return String.format(Locale.ROOT, fmt, med(k));
        }
        return String.format(Locale.ROOT, fmt + " (" + fmt + "–" + fmt + ")", med(k), min(k), max(k));
    }

    /** Per-rep differences target - direct, paired by repetition order. */
    static String added(String prefix, String suffixT, String fmt, double scale) {
        List<Double> a = R.get(prefix + suffixT);
        List<Double> d = R.get(prefix + "direct");
        if (a == null || d == null) {
            return "—";
        }
        String k = "added." + prefix + suffixT;
        R.remove(k);
        for (int i = 0; i < Math.min(a.size(), d.size()); i++) {
            add(k, (a.get(i) - d.get(i)) * scale);
        }
        return mm(k, fmt);
    }

    static String f(String fmt, double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, fmt, v);
    }

    /** Figure 6's rows of the results table. */
    static void startupRows(StringBuilder b) {
        if (has("start.2cores.plain.ms")) {
            for (String cores : List.of("1core", "2cores")) {
                b.append("| 6 | installed package (.tar.gz → install.sh → its launcher): start to first 200 on /ready, ms (")
                        .append(cores.equals("1core") ? "1 CPU" : "2 CPUs").append("), cache removed / shipped AOT cache | | | ")
                        .append(mm("start." + cores + ".plain.ms", "%.0f")).append(" / ").append(mm("start." + cores + ".aot.ms", "%.0f"))
                        .append(" | | ").append(cores.equals("2cores") ? "≤ 1000 ms" : "").append(" | ")
                        .append(cores.equals("2cores") ? verdict(med("start." + cores + ".aot.ms"), 1000) + " (shipped cache)" : "")
                        .append(" |\n");
            }
            b.append("| 6 | installed package: CPU s used to /ready (2 CPUs), cache removed / shipped cache | | | ")
                    .append(mm("start.2cores.plain.cpu", "%.2f")).append(" / ").append(mm("start.2cores.aot.cpu", "%.2f")).append(" | | | |\n");
            b.append("| 6 | installed package: RSS at ready, MB (2 CPUs), cache removed / shipped cache | | | ")
                    .append(mm("start.2cores.plain.rss", "%.0f")).append(" / ").append(mm("start.2cores.aot.rss", "%.0f")).append(" | | | |\n");
            b.append("| 6 | other processes' CPU during the start-ups, % of a core | | | ").append(mm("start.other_pct", "%.0f"))
                    .append(" | | | |\n");
        } else {
            b.append("| 6 | start-up of the installed package | | | not measured (see notes) | | ≤ 1000 ms | |\n");
        }
    }

    /** {@code run.sh --startup}: figure 6 alone, in bench/work/results-startup.md. */
    static void writeStartupResults() throws Exception {
        Path out = work.resolve("results-startup.md");
        StringBuilder b = new StringBuilder();
        b.append("# Atrium figure 6 alone — ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(", ").append(sh("hostname").trim()).append("\n\n");
        b.append("`bench/run.sh --startup`: ").append(P.startReps).append(" repetitions; ").append(cpuCount()).append(" CPUs (")
                .append(cpuModel()).append("); JDK of the bench ").append(System.getProperty("java.runtime.version"))
                .append(" (the package runs its own runtime); Atrium ")
                .append(sh("git", "-C", root.toString(), "log", "-1", "--format=%h %s").trim()).append("; load average at end ")
                .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(".\n\n");
        b.append("| # | figure | | | installed package | | target | verdict |\n|---|---|---|---|---|---|---|---|\n");
        startupRows(b);
        b.append("\n## Details\n\n");
        for (String k : text.keySet()) {
            b.append("- ").append(k).append(": ").append(text.get(k)).append("\n");
        }
        for (String n : notes) {
            b.append("- ").append(n).append("\n");
        }
        appendPollutionAndSamples(b, "");
        Files.writeString(out, b.toString());
        log("figure 6 written to " + root.relativize(out));
        System.out.print(b);
    }

    static void writeResults(long secs) throws Exception {
        String host = sh("hostname").trim();
        String date = LocalDate.now().toString();
        Path out = mode == Mode.FULL ? root.resolve("bench/results/" + date + "-" + host + ".md")
                : work.resolve("results-" + mode.name().toLowerCase(Locale.ROOT) + ".md");
        Files.createDirectories(out.getParent());
        StringBuilder b = new StringBuilder();
        b.append("# Atrium benchmark — ").append(date).append(", ").append(host).append("\n\n");
        b.append("Generated by `bench/run.sh").append(mode == Mode.FULL ? "" : " --" + mode.name().toLowerCase(Locale.ROOT))
                .append("` at ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" in ").append(secs).append(" s. Medians over ").append(P.reps)
                .append(" alternating repetitions (direct → nginx → Atrium → Atrium-bare), min–max in brackets.\n\n");
        b.append("## Machine\n\n| | |\n|---|---|\n");
        b.append("| CPUs (nproc) | ").append(cpuCount()).append(" |\n");
        b.append("| CPU model | ").append(cpuModel()).append(" |\n");
        b.append("| kernel | ").append(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim()).append(" |\n");
        b.append("| memory | ").append(memTotal()).append(" |\n");
        b.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version")).append(" |\n");
        b.append("| nginx | ").append(sh("nginx", "-v").trim()).append(" |\n");
        b.append("| wrk | ").append(sh("wrk", "-v").lines().findFirst().orElse("?").trim()).append(" |\n");
        b.append("| Atrium | ").append(sh("git", "-C", root.toString(), "log", "-1", "--format=%h %s").trim()).append(" |\n");
        b.append("| pinning | proxy under test alone on CPU ").append(proxyCore).append(" (`taskset`, JVMs with `-XX:ActiveProcessorCount=1`); wrk, stubs and stream client on CPU ").append(loadCore).append(" |\n");
        b.append("| gateway JVM options | `").append(String.join(" ", serviceJvmOptions())).append("` (")
                .append(System.getenv("BENCH_GW_JVM") != null ? "`BENCH_GW_JVM`" : "the service launcher's, from `" + SERVICE_LAUNCHER + "`")
                .append("), for Atrium and the bare gateway |\n");
        b.append("| load average at end | ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append(" |\n");
        int polluted = (int) sum("polluted_samples");
        int samples = (int) sum("samples");
        b.append("| polluted samples | ").append(polluted).append(" of ").append(samples)
                .append(" kept polluted after retries (other processes above ").append(f("%.0f", maxOtherPct)).append(" % of a core) |\n\n");

        b.append("## Results\n\n");
        b.append("| # | figure | direct | nginx | Atrium (full pipeline) | Atrium bare (features off) | target | verdict |\n|---|---|---|---|---|---|---|---|\n");
        double ratio = med("sat.percore.atrium") / med("sat.percore.nginx");
        b.append("| 1 | saturation, req/s (64 conns) | ").append(mm("sat.rps.direct", "%.0f")).append(" | ").append(mm("sat.rps.nginx", "%.0f"))
                .append(" | ").append(mm("sat.rps.atrium", "%.0f")).append(" | ").append(mm("sat.rps.bare", "%.0f")).append(" | | |\n");
        b.append("| 1 | proxy CPU use during saturation, % of its core | | ").append(mm("sat.cpufrac.nginx", "%.0f")).append(" | ")
                .append(mm("sat.cpufrac.atrium", "%.0f")).append(" | ").append(mm("sat.cpufrac.bare", "%.0f")).append(" | | |\n");
        b.append("| 1 | throughput per core (req/s ÷ proxy CPU share) | | ").append(mm("sat.percore.nginx", "%.0f")).append(" | ")
                .append(mm("sat.percore.atrium", "%.0f")).append(" | ").append(mm("sat.percore.bare", "%.0f"))
                .append(" | Atrium ≥ ½ nginx | ").append(f("%.2f", ratio)).append(" × nginx: ").append(ratio >= 0.5 ? "meets" : "**misses**").append(" |\n");
        b.append("| 2 | CPU µs per request | | ").append(mm("sat.cpuus.nginx", "%.1f")).append(" | ").append(mm("sat.cpuus.atrium", "%.1f"))
                .append(" | ").append(mm("sat.cpuus.bare", "%.1f")).append(" | | features cost ")
                .append(f("%.1f", med("sat.cpuus.atrium") - med("sat.cpuus.bare"))).append(" µs |\n");
        for (int rate : P.rates) {
            String p = "fixed." + rate + ".";
            b.append("| 3 | achieved rate at ~").append(rate).append(" req/s | ").append(mm(p + "rps.direct", "%.0f")).append(" | ")
                    .append(mm(p + "rps.nginx", "%.0f")).append(" | ").append(mm(p + "rps.atrium", "%.0f")).append(" | ")
                    .append(mm(p + "rps.bare", "%.0f")).append(" | | |\n");
            b.append("| 3 | p50 latency at ~").append(rate).append(" req/s, ms (added over direct) | ").append(scaled(p + "p50.direct", 0.001, "%.3f"))
                    .append(" | ").append(added(p + "p50.", "nginx", "%+.3f", 0.001)).append(" | ").append(added(p + "p50.", "atrium", "%+.3f", 0.001))
                    .append(" | ").append(added(p + "p50.", "bare", "%+.3f", 0.001)).append(" | added ≤ 0.3 ms | ")
                    .append(verdict(med("added." + p + "p50.atrium"), 0.3)).append(" |\n");
            b.append("| 3 | p99 latency at ~").append(rate).append(" req/s, ms (added over direct) | ").append(scaled(p + "p99.direct", 0.001, "%.3f"))
                    .append(" | ").append(added(p + "p99.", "nginx", "%+.3f", 0.001)).append(" | ").append(added(p + "p99.", "atrium", "%+.3f", 0.001))
                    .append(" | ").append(added(p + "p99.", "bare", "%+.3f", 0.001)).append(" | added ≤ 1 ms | ")
                    .append(verdict(med("added." + p + "p99.atrium"), 1.0)).append(" |\n");
        }
        for (int c : P.streamCounts) {
            String p = "sse." + c + ".";
            b.append("| 4 | ").append(c).append(" stream(s): time to first byte, ms (added over direct) | ").append(msOf(p + "ttfb_p50_us.direct"))
                    .append(" | ").append(addedMs(p + "ttfb_p50_us.", "nginx")).append(" | ").append(addedMs(p + "ttfb_p50_us.", "atrium"))
                    .append(" | ").append(addedMs(p + "ttfb_p50_us.", "bare")).append(" | | |\n");
            for (String q : List.of("p50", "p99", "max")) {
                String kk = p + "delay_" + q + "_us.";
                b.append("| 4 | ").append(c).append(" stream(s): per-chunk delay ").append(q).append(", ms (added over direct) | ").append(msOf(kk + "direct"))
                        .append(" | ").append(addedMs(kk, "nginx")).append(" | ").append(addedMs(kk, "atrium")).append(" | ")
                        .append(addedMs(kk, "bare")).append(" | ").append(q.equals("max") ? "" : "no added delay").append(" | |\n");
            }
            b.append("| 4 | ").append(c).append(" stream(s): chunks in bursts (< 5 ms apart), % | ").append(mm(p + "burst_pct.direct", "%.2f"))
                    .append(" | ").append(mm(p + "burst_pct.nginx", "%.2f")).append(" | ").append(mm(p + "burst_pct.atrium", "%.2f")).append(" | ")
                    .append(mm(p + "burst_pct.bare", "%.2f")).append(" | 0 % | ").append(verdict(med(p + "burst_pct.atrium") - med(p + "burst_pct.direct"), 0.5))
                    .append(" (vs direct) |\n");
            b.append("| 4 | ").append(c).append(" stream(s): proxy CPU µs per relayed chunk | | ").append(mm(p + "cpu_us_per_chunk.nginx", "%.1f"))
                    .append(" | ").append(mm(p + "cpu_us_per_chunk.atrium", "%.1f")).append(" | ").append(mm(p + "cpu_us_per_chunk.bare", "%.1f"))
                    .append(" | | |\n");
            b.append("| 4 | ").append(c).append(" stream(s): GC pauses in each sample, count / ms | | | ")
                    .append(mm(p + "gc_pauses.atrium", "%.0f")).append(" / ").append(mm(p + "gc_ms.atrium", "%.0f")).append(" | ")
                    .append(mm(p + "gc_pauses.bare", "%.0f")).append(" / ").append(mm(p + "gc_ms.bare", "%.0f")).append(" | | |\n");
            b.append("| 4 | ").append(c).append(" stream(s): failed streams (sum) | ").append(f("%.0f", sum(p + "errors.direct"))).append(" | ")
                    .append(f("%.0f", sum(p + "errors.nginx"))).append(" | ").append(f("%.0f", sum(p + "errors.atrium"))).append(" | ")
                    .append(f("%.0f", sum(p + "errors.bare"))).append(" | 0 | |\n");
        }
        b.append("| 5 | idle RSS after start / after warm-up, MB | | ").append(mm("rss.idle_warm.nginx", "%.0f")).append(" | ")
                .append(mm("rss.idle.atrium", "%.0f")).append(" / ").append(mm("rss.idle_warm.atrium", "%.0f")).append(" | | | |\n");
        double mem10k = med("mem.at10k_mb.atrium");
        String memN = text.getOrDefault("mem.count", "?");
        b.append("| 5 | RSS with ").append(memN).append(" open streams, MB (per stream, KB) | | ").append(mm("mem.streams_mb.nginx", "%.0f"))
                .append(" (").append(f("%.1f", med("mem.per_stream_kb.nginx"))).append(") | ")
                .append(mm("mem.streams_mb.atrium", "%.0f")).append(" (").append(f("%.1f", med("mem.per_stream_kb.atrium"))).append(") | | | |\n");
        b.append("| 5 | Atrium with those streams open: heap in use after a full GC / RSS after it, MB | | | ").append(f("%.0f", med("mem.live_heap_mb.atrium")))
                .append(" / ").append(f("%.0f", med("mem.after_gc_rss_mb.atrium"))).append(" | | | |\n");
        b.append("| 5 | RSS at 10,000 streams").append("10000".equals(memN) ? "" : " (extrapolated)").append(", MB | | ")
                .append(f("%.0f", med("mem.at10k_mb.nginx"))).append(" | ").append(f("%.0f", mem10k))
                .append(" | | ≤ 1024 MB | ").append(verdict(mem10k, 1024)).append(" |\n");
        b.append("| 5 | slow readers (").append(P.slowStreams).append(" streams reading 4 KiB/s, stub offering ~2 MB/s each): heap in use after a full GC, start → end of ")
                .append(P.slowSec).append(" s, MB (RSS) | | | ").append(f("%.0f", med("mem.slow_heap_start_mb"))).append(" → ").append(f("%.0f", med("mem.slow_heap_end_mb")))
                .append(" (").append(f("%.0f", med("mem.slow_start_mb"))).append(" → ").append(f("%.0f", med("mem.slow_end_mb")))
                .append(") | | no growth | ").append(verdict(med("mem.slow_heap_end_mb") - med("mem.slow_heap_start_mb"), 32)).append(" (≤ 32 MB growth) |\n");
        startupRows(b);
        b.append("| 7 | fairness: victim p50 / p99 alone, ms | | | ").append(msOf2("fair.alone.p50")).append(" / ").append(msOf2("fair.alone.p99"))
                .append(" | | | |\n");
        b.append("| 7 | fairness: victim p50 / p99 while the other tenant floods (64 conns), ms | | | ").append(msOf2("fair.flood.p50")).append(" / ")
                .append(msOf2("fair.flood.p99")).append(" | | ≈ alone + one service time (20 ms) | ")
                .append(verdict(med("fair.flood.p99") / 1000 - med("fair.alone.p99") / 1000, 25)).append(" |\n");
        b.append("| 7 | fairness: flooder throughput, req/s (route capacity 4 × 20 ms = 200/s) | | | ").append(mm("fair.flood.flooder_rps", "%.0f"))
                .append(" | | | |\n");
        if (has("cluster.ratio")) {
            b.append("| 8 | cluster mode: per-core throughput, req/s, Redis-backed state and global limits / embedded | | | ")
                    .append(mm("cluster.percore.redis", "%.0f")).append(" / ").append(mm("cluster.percore.embedded", "%.0f"))
                    .append(" | | | |\n");
            b.append("| 8 | cluster mode ÷ embedded (per core); non-2xx + socket errors on the cluster node | | | ")
                    .append(mm("cluster.ratio", "%.2f")).append(" ×; ").append(mm("cluster.errors.redis", "%.0f"))
                    .append(" | | | |\n");
            if (has("cluster.quota.ratio")) {
                b.append("| 8 | cluster mode with daily quotas (one round trip per call) ÷ embedded; errors | | | ")
                        .append(mm("cluster.quota.ratio", "%.2f")).append(" ×; ").append(mm("cluster.quota.errors", "%.0f"))
                        .append(" | | | |\n");
            }
        } else {
            b.append("| 8 | cluster mode (Redis-backed global limits) ÷ embedded | | | not measured (see notes) | | | |\n");
        }
        if (has("soak.calls")) {
            b.append("| 10 | back-to-back calls mixing `Connection: close` and keep-alive, backend closing every 5th upstream connection: calls / non-2xx / socket errors | | | ")
                    .append(f("%.0f", sum("soak.calls"))).append(" / ").append(f("%.0f", sum("soak.non2xx"))).append(" / ")
                    .append(f("%.0f", sum("soak.sock"))).append(" | | 0 non-2xx in 200,000 | ")
                    .append(sum("soak.non2xx") == 0 ? "meets" : "**misses**").append(" |\n");
        }
        b.append("| 9 | console under a day of 1 Hz frames | | | in `<date>-<host>-console.md` beside this file (run.sh writes it next) | | | |\n\n");

        b.append("Added figures are per-repetition differences (target − direct), then median (min–max). Verdicts use the medians.\n\n");
        b.append("## Details\n\n");
        b.append("- Errors during saturation (non-2xx + socket errors, all reps): direct ").append(f("%.0f", sum("sat.errors.direct")))
                .append(", nginx ").append(f("%.0f", sum("sat.errors.nginx"))).append(", Atrium ").append(f("%.0f", sum("sat.errors.atrium")))
                .append(", bare ").append(f("%.0f", sum("sat.errors.bare"))).append(".\n");
        for (int rate : P.rates) {
            b.append("- Errors at ~").append(rate).append(" req/s: Atrium ").append(f("%.0f", sum("fixed." + rate + ".errors.atrium")))
                    .append(", nginx ").append(f("%.0f", sum("fixed." + rate + ".errors.nginx"))).append(".\n");
        }
        b.append("- Fairness errors: victim ").append(f("%.0f", sum("fair.flood.victim_errors"))).append(", flooder ")
                .append(f("%.0f", sum("fair.flood.flooder_errors"))).append("; flooder p50 ").append(msOf2("fair.flood.flooder_p50")).append(" ms.\n");
        for (String k : text.keySet()) {
            if (k.startsWith("mem.") || k.startsWith("aot.") || k.startsWith("start.")) {
                b.append("- ").append(k).append(": `").append(text.get(k)).append("`\n");
            }
        }
        b.append("- Slow-reader test: the SSE stub spent ").append(f("%.0f", med("mem.slow_stub_cpu_ms")))
                .append(" ms CPU over the window (low = it was held back by TCP flow control, i.e. nobody buffered).\n");
        for (String n : notes) {
            b.append("- ").append(n).append("\n");
        }
        b.append("\n## JFR: Atrium hot path under saturation\n\n");
        if (text.containsKey("jfr.samples")) {
            b.append("Recorded with `jcmd <pid> JFR.start settings=profile` during ").append(P.jfrSec).append(" s of saturation (")
                    .append(text.get("jfr.rps")).append(" req/s), ").append(text.get("jfr.samples")).append(" execution samples.\n\n");
            b.append("Top-of-stack samples by package:\n\n| package | samples | share |\n|---|---|---|\n").append(text.get("jfr.toppkg"));
            b.append("\nAtrium methods on the stack (inclusive):\n\n| method | samples | share |\n|---|---|---|\n").append(text.get("jfr.inclusive"));
            b.append("\n`jfr view hot-methods`:\n\n```\n").append(trimLines(text.get("jfr.hot"), 40)).append("\n```\n");
            b.append("\n`jfr view cpu-load` (JVM user/system vs machine):\n\n```\n").append(trimLines(text.get("jfr.cpu"), 30)).append("\n```\n");
            b.append("\n`jfr view gc-pauses`:\n\n```\n").append(trimLines(text.get("jfr.gc"), 20)).append("\n```\n");
            b.append("\n`jfr view allocation-by-class`:\n\n```\n").append(trimLines(text.get("jfr.alloc"), 25)).append("\n```\n");
        } else {
            b.append("not recorded in this mode\n");
        }
        appendPollutionAndSamples(b, "Other CPU = all CPU time used on the machine (/proc/stat user+nice+system+steal) minus our own "
                + "processes' (/proc/PID/stat), over the middle of each sample.\n\n");
        Files.writeString(out, b.toString());
        log("results written to " + root.relativize(out));
        System.out.println("RESULTS " + out);
    }

    static String trimLines(String s, int n) {
        return s == null ? "" : String.join("\n", s.lines().limit(n).toList());
    }

    static String msOf(String k) {
        if (!R.containsKey(k)) {
            return "—";
        }
        return scaled(k, 0.001, "%.2f");
    }

    static String msOf2(String k) {
        return scaled(k, 0.001, "%.1f");
    }

    static String scaled(String k, double s, String fmt) {
        if (!R.containsKey(k)) {
            return "—";
        }
        String kk = k + ".scaled";
        R.put(kk, R.get(k).stream().map(x -> x * s).toList());
        String r = mm(kk, fmt);
        R.remove(kk);
        return r;
    }

    static String addedMs(String prefix, String t) {
        return added(prefix, t, "%+.2f", 0.001);
    }

    static String verdict(double v, double limit) {
        if (Double.isNaN(v)) {
            return "not measured";
        }
        return v <= limit ? "meets" : "**misses**";
    }

    // ---- utilities --------------------------------------------------------------------------------
    static int cpuCount() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    static String memTotal() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").findFirst().orElse("?");
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return s;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitPort(int port, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("nothing listens on " + port + " after " + timeoutMs + " ms (see bench/work/logs)");
    }

    /** Polls GET /ready over a raw socket every 5 ms until it answers 200. */
    static void waitReady(int port, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        byte[] req = ("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(2000);
                OutputStream o = s.getOutputStream();
                o.write(req);
                o.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(12);
                if (head.length == 12 && new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("Atrium on " + port + " not ready after " + timeoutMs + " ms (see bench/work/logs)");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    static void log(String s) {
        System.out.println("[bench " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + s);
    }
}
