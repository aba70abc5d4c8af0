import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bench-only SSE client: N concurrent streams on virtual threads over raw sockets, timestamping each
 * socket read with {@code System.nanoTime()} (CLOCK_MONOTONIC on Linux, the same clock the stub
 * writes into each event), so per-chunk delay = arrival - the stub's send time.
 *
 * <pre>
 * java StreamClient mode=measure|hold|slow port=P path=/sse?n=100&amp;ms=20 [token=JWT] streams=N
 *                   [spread_ms=S] [ramp_per_s=R] [read_bytes=B]
 * </pre>
 * measure: every stream is read at full speed; prints one {@code RESULT key=value ...} line.
 * hold: like measure, but prints {@code ALL_OPEN} once every stream got its first event (memory test).
 * slow: each stream reads read_bytes (default 4096) once a second through a small receive buffer.
 */
public final class StreamClient {
    private static final long BURST_NANOS = 5_000_000L;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        if (!"serve".equals(a.get("mode"))) {
            run(a);
            return;
        }
        // serve: one run per stdin line (same key=value words), so the JIT stays warm between samples
        var stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (!line.isBlank()) {
                run(parse(line.trim().split("\\s+")));
            }
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int e = s.indexOf('=');
            a.put(s.substring(0, e), s.substring(e + 1));
        }
        return a;
    }

    static void run(Map<String, String> a) throws Exception {
        String mode = a.getOrDefault("mode", "measure");
        int port = Integer.parseInt(a.get("port"));
        String path = a.get("path");
        String token = a.get("token");
        int streams = Integer.parseInt(a.getOrDefault("streams", "1"));
        int spreadMs = Integer.parseInt(a.getOrDefault("spread_ms", "0"));
        int rampPerS = Integer.parseInt(a.getOrDefault("ramp_per_s", "0"));
        int readBytes = Integer.parseInt(a.getOrDefault("read_bytes", "4096"));

        byte[] body = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] full = new byte[request.length + body.length];
        System.arraycopy(request, 0, full, 0, request.length);
        System.arraycopy(body, 0, full, request.length, body.length);

        List<long[]> delays = new ArrayList<>();
        List<long[]> gaps = new ArrayList<>();
        long[] ttfb = new long[streams];
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger firstSeen = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        CountDownLatch allOpen = new CountDownLatch(streams);
        CountDownLatch done = new CountDownLatch(streams);
        long t0 = System.nanoTime();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                final int id = i;
                long startAt = t0 + (rampPerS > 0 ? id * 1_000_000_000L / rampPerS : 0)
                        + (spreadMs > 0 ? ThreadLocalRandom.current().nextLong(spreadMs * 1_000_000L) : 0);
                exec.submit(() -> {
                    boolean counted = false;
                    try {
                        long w;
                        while ((w = startAt - System.nanoTime()) > 0) {
                            Thread.sleep(w / 1_000_000, (int) (w % 1_000_000));
                        }
                        Stream st = new Stream(mode.equals("slow"));
                        try (Socket s = new Socket()) {
                            if (mode.equals("slow")) {
                                s.setReceiveBufferSize(16 * 1024);
                            }
                            s.setTcpNoDelay(true);
                            s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                            OutputStream out = s.getOutputStream();
                            InputStream in = s.getInputStream();
                            long sent = System.nanoTime();
                            out.write(full);
                            out.flush();
                            byte[] buf = new byte[mode.equals("slow") ? readBytes : 16 * 1024];
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                long now = System.nanoTime();
                                bytes.addAndGet(n);
                                st.feed(buf, n, now);
                                if (st.events >= 1 && !counted) {
                                    counted = true;
                                    ttfb[id] = st.firstArrival - sent;
                                    firstSeen.incrementAndGet();
                                    allOpen.countDown();
                                }
                                if (st.finished) {
                                    break;
                                }
                                if (mode.equals("slow")) {
                                    Thread.sleep(1000);
                                }
                            }
                        }
                        if (st.status != 200 || !st.done) {
                            errors.incrementAndGet();
                        } else {
                            ok.incrementAndGet();
                        }
                        synchronized (delays) {
                            delays.add(Arrays.copyOf(st.delays, st.nDelays));
                            gaps.add(Arrays.copyOf(st.gaps, st.nGaps));
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        if (a.containsKey("verbose")) {
                            e.printStackTrace();
                        }
                    } finally {
                        if (!counted) {
                            allOpen.countDown();
                        }
                        done.countDown();
                    }
                    return null;
                });
            }
            if (mode.equals("hold") || mode.equals("slow")) {
                allOpen.await();
                System.out.println("ALL_OPEN first_seen=" + firstSeen.get() + " errors=" + errors.get() + " ms="
                        + (System.nanoTime() - t0) / 1_000_000);
                System.out.flush();
            }
            done.await();
        }
        long[] d = flatten(delays);
        long[] g = flatten(gaps);
        long[] tt = Arrays.stream(ttfb).filter(x -> x > 0).sorted().toArray();
        Arrays.sort(d);
        Arrays.sort(g);
        long bursts = Arrays.stream(g).filter(x -> x < BURST_NANOS).count();
        System.out.printf("RESULT streams=%d ok=%d errors=%d chunks=%d bytes=%d ttfb_p50_us=%d ttfb_p99_us=%d "
                        + "delay_p50_us=%d delay_p99_us=%d delay_max_us=%d gap_min_us=%d bursts=%d burst_pct=%.3f%n",
                streams, ok.get(), errors.get(), d.length, bytes.get(), pct(tt, 50) / 1000, pct(tt, 99) / 1000,
                pct(d, 50) / 1000, pct(d, 99) / 1000, d.length == 0 ? -1 : d[d.length - 1] / 1000,
                g.length == 0 ? -1 : g[0] / 1000, bursts, g.length == 0 ? 0.0 : 100.0 * bursts / g.length);
        System.out.flush();
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1000;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static long[] flatten(List<long[]> parts) {
        int n = parts.stream().mapToInt(x -> x.length).sum();
        long[] r = new long[n];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, r, o, p.length);
            o += p.length;
        }
        return r;
    }

    /** Incremental parser: response head, chunked framing, SSE events; times taken from the read that completed them. */
    static final class Stream {
        final boolean light;
        int status = -1;
        boolean headDone;
        boolean chunked;
        final StringBuilder head = new StringBuilder();
        int chunkLeft = -1; // -1: expecting a size line
        final StringBuilder sizeLine = new StringBuilder();
        int crlfSkip;
        final byte[] event = new byte[512]; // only the start of an event is parsed
        int eventLen;
        byte prev;
        int events;
        long firstArrival;
        long lastArrival;
        boolean done;
        boolean finished;
        long[] delays = new long[256];
        int nDelays;
        long[] gaps = new long[256];
        int nGaps;

        Stream(boolean light) {
            this.light = light;
        }

        void feed(byte[] b, int n, long now) {
            int i = 0;
            while (i < n) {
                if (!headDone) {
                    char c = (char) b[i++];
                    head.append(c);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        headDone = true;
                        String h = head.toString();
                        status = Integer.parseInt(h.substring(9, 12));
                        chunked = h.toLowerCase().contains("transfer-encoding: chunked");
                    }
                    continue;
                }
                if (!chunked) {
                    body(b[i++], now);
                    continue;
                }
                if (crlfSkip > 0) {
                    crlfSkip--;
                    i++;
                    continue;
                }
                if (chunkLeft < 0) {
                    char c = (char) b[i++];
                    if (c == '\n') {
                        String s = sizeLine.toString().trim();
                        sizeLine.setLength(0);
                        int semi = s.indexOf(';');
                        int len = Integer.parseInt(semi < 0 ? s : s.substring(0, semi), 16);
                        if (len == 0) {
                            finished = true;
                            return;
                        }
                        chunkLeft = len;
                    } else {
                        sizeLine.append(c);
                    }
                    continue;
                }
                int take = Math.min(chunkLeft, n - i);
                for (int k = 0; k < take; k++) {
                    body(b[i + k], now);
                }
                i += take;
                chunkLeft -= take;
                if (chunkLeft == 0) {
                    chunkLeft = -1;
                    crlfSkip = 2;
                }
            }
        }

        private void body(byte c, long now) {
            if (eventLen < event.length) {
                event[eventLen++] = c;
            }
            if (c == '\n' && prev == '\n') {
                onEvent(now);
                eventLen = 0;
                prev = 0;
                return;
            }
            prev = c;
        }

        private void onEvent(long now) {
            String e = new String(event, 0, Math.min(eventLen, 200), StandardCharsets.US_ASCII);
            if (e.startsWith("data: [DONE]")) {
                done = true;
                return;
            }
            int t = e.indexOf("\"t\":");
            if (t < 0) {
                return; // the usage chunk
            }
            int end = t + 4;
            while (end < e.length() && Character.isDigit(e.charAt(end))) {
                end++;
            }
            long sentAt = Long.parseLong(e.substring(t + 4, end));
            events++;
            if (events == 1) {
                firstArrival = now;
            } else {
                add(true, now - lastArrival);
            }
            lastArrival = now;
            add(false, now - sentAt);
        }

        private void add(boolean gap, long v) {
            if (gap) {
                if (nGaps == gaps.length) {
                    gaps = Arrays.copyOf(gaps, nGaps * 2);
                }
                gaps[nGaps++] = v;
            } else {
                if (nDelays == delays.length) {
                    delays = Arrays.copyOf(delays, nDelays * 2);
                }
                delays[nDelays++] = v;
            }
        }
    }
}
