package org.atrium.console.app;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the gateway's data dir and admin token, checks whether a gateway answers, and starts the
 * bundled one as a detached background process when none runs on this machine.
 */
public final class GatewayLocator {
    public static final String GATEWAY_JAR = "atrium-gateway.jar";
    public static final Path INSTALLED_JAR = Path.of("/opt/atrium/lib/app", GATEWAY_JAR);
    /** The installed package's systemd unit: where it exists, the gateway runs as that service, not per user. */
    public static final Path INSTALLED_SERVICE = Path.of("/lib/systemd/system/atrium-gateway.service");
    /** The installed service's data dir (mode 0710, token readable by the group {@code atrium}). */
    public static final Path INSTALLED_DATA_DIR = Path.of("/var/lib/atrium");
    public static final String TOKEN_FILE = "admin.token";

    private GatewayLocator() {
    }

    /** The gateway's data dir: {@code $ATRIUM_DATA_DIR}, else the platform's per-user data folder. */
    public static Path dataDir(Map<String, String> env, String osName, Path home) {
        String explicit = env.get("ATRIUM_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = env.get("LOCALAPPDATA");
            return local != null ? Path.of(local, "Atrium") : home.resolve("AppData/Local/Atrium");
        }
        if (os.contains("mac")) {
            return home.resolve("Library/Application Support/Atrium");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("atrium");
    }

    public static Path defaultDataDir() {
        return dataDir(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    /**
     * The admin token file to use when none was given: the per-user gateway's, else an installed
     * service's ({@code /var/lib/atrium/admin.token}) when that one exists or cannot be looked at (a
     * user outside the group {@code atrium} may not even see it); else the per-user path, where an
     * autostarted gateway will write it.
     */
    public static Path defaultTokenFile(Path userDataDir, Path installedDataDir) {
        Path user = userDataDir.resolve(TOKEN_FILE);
        if (Files.isRegularFile(user)) {
            return user;
        }
        Path installed = installedDataDir.resolve(TOKEN_FILE);
        if (Files.isDirectory(installedDataDir) && !Files.notExists(installed)) {
            return installed;
        }
        return user;
    }

    /**
     * Where the installed service runs (its unit exists) and no data dir was chosen with
     * {@code ATRIUM_DATA_DIR}, the service's token comes first: the console talks to that gateway,
     * and a per-user token left from before the package was installed would only earn a 401.
     */
    public static Path defaultTokenFile() {
        boolean service = Files.exists(INSTALLED_SERVICE) && System.getenv("ATRIUM_DATA_DIR") == null;
        return service ? INSTALLED_DATA_DIR.resolve(TOKEN_FILE) : defaultTokenFile(defaultDataDir(), INSTALLED_DATA_DIR);
    }

    /** Reads the admin token; empty when the file does not exist yet (the gateway writes it on first start). */
    public static Optional<String> readToken(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String t = Files.readString(file).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** What reading the token file found: the token, or none, or a file this user may not read. */
    public record TokenRead(String token, boolean denied) {
        static final TokenRead NONE = new TokenRead(null, false);
        static final TokenRead DENIED = new TokenRead(null, true);
    }

    /**
     * Like {@link #readToken} but tells "not there yet" from "there, but not for you" (a file that
     * exists unreadable, or whose existence the folder's permissions hide), so the console can say
     * what to do instead of failing quietly.
     */
    public static TokenRead tryReadToken(Path file) {
        if (file == null || Files.notExists(file)) {
            return TokenRead.NONE;
        }
        if (!Files.exists(file) || !Files.isReadable(file)) {
            return TokenRead.DENIED; // neither exists nor notExists: a folder on the way we may not search
        }
        try {
            return new TokenRead(readToken(file).orElse(null), false);
        } catch (java.nio.file.AccessDeniedException e) {
            return TokenRead.DENIED;
        } catch (IOException e) {
            return TokenRead.NONE;
        }
    }

    /** True when something accepts TCP connections at the address (a gateway, or a port in use). */
    public static boolean answers(URI base, Duration timeout) {
        int port = base.getPort() > 0 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where a bundled gateway jar may be, most specific first. */
    public static List<Path> candidates(Path consoleJarDir) {
        List<Path> out = new ArrayList<>();
        if (consoleJarDir != null) {
            out.add(consoleJarDir.resolve(GATEWAY_JAR));
            // source tree: console-app/target/atrium-console.jar -> gateway-engine/target/atrium-gateway.jar
            out.add(consoleJarDir.resolve("../../gateway-engine/target").resolve(GATEWAY_JAR).normalize());
        }
        out.add(INSTALLED_JAR);
        return out;
    }

    public static Optional<Path> findGatewayJar(Path consoleJarDir) {
        return candidates(consoleJarDir).stream().filter(Files::isRegularFile).findFirst();
    }

    /** Folder of the jar this class was loaded from (null when run from classes, e.g. in an IDE). */
    public static Path consoleJarDir() {
        try {
            var src = GatewayLocator.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) ? p.getParent() : p.getParent(); // target/classes -> target
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Starts the gateway jar with this JVM's java, detached: its output goes to {@code gateway.log}
     * in the data dir and it keeps running when the console exits.
     */
    public static Process startDetached(Path jar, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path java = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "javaw.exe" : "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", jar.toAbsolutePath().toString());
        pb.directory(dataDir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway.log").toFile()));
        File devNull = new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
        pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
        pb.environment().putIfAbsent("ATRIUM_DATA_DIR", dataDir.toString());
        Process p = pb.start();
        // remembered so the console can stop the gateway it started (no service to do it)
        Files.writeString(dataDir.resolve(PID_FILE), Long.toString(p.pid()));
        return p;
    }

    /** The pid of a gateway the console started, in its data dir. */
    public static final String PID_FILE = "gateway.pid";

    /** What {@link #stopStarted} did. */
    public enum StopResult { STOPPED, NOT_RUNNING, NOT_OURS, STILL_RUNNING }

    /**
     * Stops the gateway this console started (the pid in {@code gateway.pid}): a normal termination
     * request, so it shuts down cleanly, then waits. A pid now used by another program is left alone.
     */
    public static StopResult stopStarted(Path dataDir, Duration wait) {
        Path pidFile = dataDir.resolve(PID_FILE);
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return StopResult.NOT_RUNNING;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty()) {
            deleteQuietly(pidFile);
            return StopResult.NOT_RUNNING;
        }
        String cmd = h.get().info().commandLine().orElse("");
        if (!cmd.contains(GATEWAY_JAR)) {
            deleteQuietly(pidFile);
            return StopResult.NOT_OURS;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return StopResult.STILL_RUNNING;
        } catch (Exception e) {
            Thread.currentThread().interrupt();
            return StopResult.STILL_RUNNING;
        }
        deleteQuietly(pidFile);
        return StopResult.STOPPED;
    }

    /** True when the console may start and stop a gateway itself: local address, no installed service. */
    public static boolean managesLocalGateway(boolean local, Path serviceUnit) {
        return local && (serviceUnit == null || !Files.exists(serviceUnit));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a stale pid file is harmless: the next stop checks the process again
        }
    }

    /** Outcome of {@link #ensureRunning}, in words for the status bar. */
    public record Outcome(boolean reachable, boolean started, String messageKey, Object detail) {
    }

    /**
     * If nothing answers at a local address, starts the bundled gateway and waits for it.
     *
     * @param progress receives message keys while it works (e.g. "startup.starting")
     */
    public static Outcome ensureRunning(URI base, boolean local, boolean autostart, Path consoleJarDir, Path dataDir,
                                        Duration wait, Consumer<String> progress) {
        return ensureRunning(base, local, autostart, consoleJarDir, dataDir, INSTALLED_SERVICE, wait, progress);
    }

    /**
     * @param serviceUnit the installed gateway's systemd unit: where it exists, a stopped gateway is
     *                    the service's to start, never a second per-user gateway on the same ports
     */
    public static Outcome ensureRunning(URI base, boolean local, boolean autostart, Path consoleJarDir, Path dataDir,
                                        Path serviceUnit, Duration wait, Consumer<String> progress) {
        if (answers(base, Duration.ofMillis(800))) {
            return new Outcome(true, false, null, null);
        }
        if (local && serviceUnit != null && Files.exists(serviceUnit)) {
            return new Outcome(false, false, "startup.serviceStopped", null);
        }
        if (!local || !autostart) {
            return new Outcome(false, false, "startup.unreachable", base);
        }
        Optional<Path> jar = findGatewayJar(consoleJarDir);
        if (jar.isEmpty()) {
            return new Outcome(false, false, "startup.noJar", GATEWAY_JAR);
        }
        progress.accept("startup.starting");
        Process p;
        try {
            p = startDetached(jar.get(), dataDir);
        } catch (IOException e) {
            return new Outcome(false, false, "startup.startFailed", e.getMessage());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers(base, Duration.ofMillis(500))) {
                return new Outcome(true, true, null, null);
            }
            if (!p.isAlive()) {
                return new Outcome(false, false, "startup.exited", dataDir.resolve("gateway.log"));
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Outcome(false, true, "startup.slow", dataDir.resolve("gateway.log"));
    }
}
