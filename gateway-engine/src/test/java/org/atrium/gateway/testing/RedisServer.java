package org.atrium.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port with its own temp dir and no persistence
 * unless a test asks for a {@link #save()}. Tests that need it are skipped, with a message, only
 * when the binary is not installed ({@code .ci/run} installs it, so CI always runs them).
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** A server on a fresh port, not started yet; skips the test when redis-server is absent. */
    public static RedisServer create() {
        Optional<Path> bin = binary();
        Assumptions.assumeTrue(bin.isPresent(),
                "redis-server is not installed: skipping the Redis tests (apt-get install redis-server; .ci/run does)");
        try {
            return new RedisServer(bin.get(), Files.createTempDirectory("atrium-redis"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/usr/local/bin";
        return Stream.of(path.split(":")).filter(s -> !s.isBlank()).map(s -> Path.of(s, "redis-server"))
                .filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port and dir) and waits until it answers PING. */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return this;
                }
            } catch (IOException e) {
                // not up yet
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** SIGKILL, as a crash or a pulled cable would look to the gateway. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Writes dump.rdb so the next {@link #start()} comes back with the data. */
    public void save() {
        try {
            command("SAVE");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one inline command and returns the first reply line. */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(5_000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** Starts watching every command clients send (Redis {@code MONITOR}) until the monitor is closed. */
    public Monitor monitor() throws IOException {
        return new Monitor(port);
    }

    /**
     * The commands clients sent while a {@code MONITOR} connection was open, each as its words
     * (command name first). Commands a Lua script ran inside Redis are left out: they cost no
     * round trip.
     */
    public static final class Monitor implements AutoCloseable {
        private final Socket socket = new Socket();
        private final List<List<String>> seen = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Monitor(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (!"+OK".equals(in.readLine())) {
                throw new IOException("MONITOR refused");
            }
            reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    String l;
                    while ((l = in.readLine()) != null) {
                        int b = l.indexOf("] ");
                        if (b > 0 && !l.substring(0, b).endsWith(" lua")) {
                            seen.add(words(l.substring(b + 2)));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        /** The quoted words of a MONITOR line ({@code "EVALSHA" "abc" "1"}), escapes kept as they are. */
        private static List<String> words(String quoted) {
            List<String> w = new ArrayList<>();
            StringBuilder cur = null;
            for (int i = 0; i < quoted.length(); i++) {
                char ch = quoted.charAt(i);
                if (cur == null) {
                    if (ch == '"') {
                        cur = new StringBuilder();
                    }
                } else if (ch == '\\' && i + 1 < quoted.length()) {
                    cur.append(ch).append(quoted.charAt(++i));
                } else if (ch == '"') {
                    w.add(cur.toString());
                    cur = null;
                } else {
                    cur.append(ch);
                }
            }
            return w;
        }

        /**
         * Everything seen up to now: sends a marker through its own connection and waits until the
         * monitor saw it, so every command sent before this call is included.
         */
        public List<List<String>> commands(RedisServer server) throws IOException, InterruptedException {
            String marker = "atrium-monitor-" + System.nanoTime();
            server.command("ECHO", marker);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (seen.stream().noneMatch(c -> c.contains(marker))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("MONITOR did not see its marker");
                }
                Thread.sleep(5);
            }
            return seen.stream().filter(c -> !c.contains(marker)).toList();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }
}
