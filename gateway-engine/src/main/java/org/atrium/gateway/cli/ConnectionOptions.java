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
import org.atrium.gateway.config.GatewayConfig;
import org.atrium.gateway.security.Secrets;
import picocli.CommandLine.Option;

/**
 * Where a command goes: the running gateway's admin API, or, when nothing listens there
 * (connection refused), the stopped gateway's data dir.
 */
public final class ConnectionOptions {
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8081";

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Admin listener of the running gateway (default: env ATRIUM_GATEWAY, else the admin port"
                    + " of the configuration, else " + DEFAULT_GATEWAY + ").")
    String gateway;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Admin token file (default: <data-dir>/admin.token).")
    Path adminTokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The gateway's data dir (admin token; used directly when the gateway is not running)."
                    + " Default: env ATRIUM_DATA_DIR, else the per-user data folder if it holds a gateway,"
                    + " else the installed service's /var/lib/atrium.")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The gateway's YAML configuration (admin port; offline: token lifetime cap, file routes)."
                    + " Default: the installed service's /etc/atrium/atrium.yaml when the data dir is the service's.")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    private final InstalledService service = InstalledService.here();

    Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        Path perUser = DataDirs.defaultDataDir(System.getenv());
        String explicit = System.getenv("ATRIUM_DATA_DIR");
        boolean chosen = explicit != null && !explicit.isBlank();
        return chosen || LocalAdminClient.usable(perUser) || !service.installed() ? perUser : service.dataDir();
    }

    /** {@code --config}, else the installed service's when we work on its data dir and may read it. */
    Path config() {
        if (config != null) {
            return config;
        }
        boolean service = this.service.installed() && dataDir().equals(this.service.dataDir());
        return service && Files.isReadable(this.service.config()) ? this.service.config() : null;
    }

    /** {@code --gateway}, else the configuration's admin listener (a wildcard host is reached on loopback). */
    String gateway(GatewayConfig cfg) {
        if (gateway != null) {
            return gateway;
        }
        String env = System.getenv("ATRIUM_GATEWAY");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        if (cfg == null) {
            return DEFAULT_GATEWAY;
        }
        String host = cfg.admin().host();
        host = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + host + ":" + cfg.admin().port();
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
            Path configFile = config();
            return new LocalAdminClient(dataDir, configFile == null ? GatewayConfig.defaults() : ConfigLoader.load(configFile),
                    System.getenv(), Clock.systemUTC());
        }
        return open();
    }

    /** Opens the admin API, else the data dir; exit 3 when neither is available. */
    AdminClient open() {
        Path configFile = config();
        GatewayConfig cfg = configFile == null ? null : ConfigLoader.load(configFile);
        String gateway = gateway(cfg);
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
            return offline(gateway, cfg);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "Cannot reach the gateway at " + gateway + ": " + e.getMessage());
        }
        return new RemoteAdminClient(gateway, adminToken());
    }

    private AdminClient offline(String gateway, GatewayConfig cfg) {
        Path dir = dataDir();
        if (!LocalAdminClient.usable(dir)) {
            throw new CliException(ExitCodes.UNREACHABLE, "No gateway is listening at " + gateway
                    + " and " + dir + " holds no gateway data (" + LocalAdminClient.DB_FILE + "); use --gateway or --data-dir");
        }
        return new LocalAdminClient(dir, cfg == null ? GatewayConfig.defaults() : cfg, System.getenv(), Clock.systemUTC());
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
                    + " (use --admin-token-file, run as the gateway's user, or join its group: sudo adduser $USER atrium): "
                    + e.getClass().getSimpleName());
        }
    }
}
