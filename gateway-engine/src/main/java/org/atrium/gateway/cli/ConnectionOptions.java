package org.atrium.gateway.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.atrium.gateway.DataDirs;
import org.atrium.gateway.config.ConfigLoader;
import org.atrium.gateway.security.Secrets;
import picocli.CommandLine.Option;

/**
 * Where a command goes: the running gateway's admin API, or, when nothing listens there
 * (connection refused), the stopped gateway's data dir.
 */
public final class ConnectionOptions {
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8081";

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Admin listener of the running gateway (default: " + DEFAULT_GATEWAY + ").")
    String gateway;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Admin token file (default: <data-dir>/admin.token).")
    Path adminTokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The gateway's data dir, used directly when the gateway is not running"
                    + " (default: env ATRIUM_DATA_DIR, else the per-user data folder).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's YAML configuration (offline only: token lifetime cap, file routes).")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    Path dataDir() {
        return dataDir != null ? dataDir : DataDirs.defaultDataDir(System.getenv());
    }

    private String gateway() {
        return gateway != null ? gateway : DEFAULT_GATEWAY;
    }

    /**
     * For commands that check what a data dir holds ({@code audit verify}): an explicit
     * {@code --data-dir} without {@code --gateway} means that data dir, never whatever answers on
     * the default address; otherwise as {@link #open()}.
     */
    AdminClient openDataDirWhenNamed() {
        if (dataDir != null && gateway == null) {
            if (!LocalAdminClient.usable(dataDir)) {
                throw new CliException(ExitCodes.UNREACHABLE, dataDir + " holds no gateway data ("
                        + LocalAdminClient.DB_FILE + ")");
            }
            return new LocalAdminClient(dataDir, ConfigLoader.load(config), System.getenv(), Clock.systemUTC());
        }
        return open();
    }

    /** Opens the admin API, else the data dir; exit 3 when neither is available. */
    AdminClient open() {
        String gateway = gateway();
        URI uri;
        try {
            uri = URI.create(gateway);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--gateway: not a URL: " + gateway);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new CliException(ExitCodes.USAGE, "--gateway: must be an http(s) URL such as http://127.0.0.1:8081");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 3000);
        } catch (ConnectException refused) {
            return offline();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "Cannot reach the gateway at " + gateway + ": " + e.getMessage());
        }
        return new RemoteAdminClient(gateway, adminToken());
    }

    private AdminClient offline() {
        Path dir = dataDir();
        if (!LocalAdminClient.usable(dir)) {
            throw new CliException(ExitCodes.UNREACHABLE, "No gateway is listening at " + gateway()
                    + " and " + dir + " holds no gateway data (" + LocalAdminClient.DB_FILE + "); use --gateway or --data-dir");
        }
        return new LocalAdminClient(dir, ConfigLoader.load(config), System.getenv(), Clock.systemUTC());
    }

    private String adminToken() {
        Path f = adminTokenFile != null ? adminTokenFile : dataDir().resolve(Secrets.ADMIN_TOKEN_FILE);
        try {
            String t = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (t.isEmpty() || t.length() > 8192 || t.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw new CliException(ExitCodes.REFUSED, "The admin token file " + f + " does not hold a token");
            }
            return t;
        } catch (IOException e) {
            throw new CliException(ExitCodes.REFUSED, "Cannot read the admin token file " + f
                    + " (use --admin-token-file or run as the gateway's user): " + e.getClass().getSimpleName());
        }
    }
}
