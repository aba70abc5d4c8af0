package org.atrium.gateway.telemetry.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.atrium.gateway.Failures;
import org.atrium.model.GpuSample;

/** Runs the local {@code nvidia-smi} CSV query; off (one log line) when the binary is absent. */
final class NvidiaSmiCollector {
    static final String SOURCE = "nvidia-smi";
    private static final System.Logger LOG = System.getLogger(GpuTelemetry.class.getName());
    private static final int MAX_OUTPUT = 256 * 1024;

    private final NvidiaSmiConfig config;
    private final Clock clock;
    private final String node;
    private final Path binary;
    private final GpuSource source;

    NvidiaSmiCollector(NvidiaSmiConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.node = config.node() != null ? config.node() : localHostName();
        this.binary = config.enabled() ? resolve(config.executable()).orElse(null) : null;
        if (config.enabled() && binary == null) {
            LOG.log(Level.INFO, "nvidia-smi not found (\"{0}\"); local GPU collector off", config.executable());
        }
        Duration staleAfter = config.interval().multipliedBy(2).plus(config.timeout());
        this.source = new GpuSource(new SourceHealth("nvidia-smi on " + node, staleAfter));
    }

    boolean active() {
        return binary != null;
    }

    Duration interval() {
        return config.interval();
    }

    List<GpuSample> samples() {
        return active() ? source.view(clock.instant()) : List.of();
    }

    SourceHealth health() {
        return source.health();
    }

    /** One run; never throws. */
    void poll() {
        if (!active()) {
            return;
        }
        try {
            String out = run();
            source.success(NvidiaSmiCsvParser.parse(out, node, SOURCE), clock.instant());
        } catch (MetricsParseException e) {
            source.failure("unreadable output: " + e.getMessage());
        } catch (IOException e) {
            source.failure(Failures.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            source.failure(Failures.describe(e));
        }
    }

    private String run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--query-gpu=" + NvidiaSmiCsvParser.QUERY,
                "--format=csv,noheader,nounits")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // Read on another thread: a child that hangs with its stdout open must not hang this poll.
        Thread reader = Thread.ofVirtual().name("nvidia-smi-reader").start(() -> drain(p.getInputStream(), buf));
        boolean done = p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            kill(p);
            reader.join(1000);
            throw new IOException("no answer within " + config.timeout().toMillis() + " ms; killed");
        }
        reader.join(1000);
        if (reader.isAlive()) {
            // The child exited but a grandchild still holds stdout open.
            kill(p);
            throw new IOException("output not closed after exit; killed");
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit code " + p.exitValue());
        }
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream buf) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                synchronized (buf) {
                    if (buf.size() + n <= MAX_OUTPUT) {
                        buf.write(chunk, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // stream closed by kill: the caller reports the failure
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    static Optional<Path> resolve(String executable) {
        if (executable.contains("/") || executable.contains("\\")) {
            Path p = Path.of(executable);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
