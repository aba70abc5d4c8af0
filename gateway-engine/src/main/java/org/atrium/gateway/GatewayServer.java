package org.atrium.gateway;

import io.helidon.common.tls.Tls;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.atrium.gateway.admin.AdminApi;
import org.atrium.gateway.admin.TokenMinter;
import org.atrium.gateway.traffic.TenantLoad;
import org.atrium.gateway.traffic.TopTalkers;
import org.atrium.gateway.config.ConfigLoader;
import org.atrium.gateway.config.GatewayConfig;
import org.atrium.gateway.config.RouteFileWatcher;
import org.atrium.gateway.config.ServerConfig;
import org.atrium.gateway.config.LimitsConfig;
import org.atrium.gateway.config.StateConfig;
import org.atrium.gateway.http.AccessLog;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.http.AdminService;
import org.atrium.gateway.http.ConnectionCloseFilter;
import org.atrium.gateway.http.ConnectionGuard;
import org.atrium.gateway.http.DataPathService;
import org.atrium.gateway.http.TransportErrors;
import org.atrium.gateway.http.HeaderLimitFilter;
import org.atrium.gateway.http.HelidonTuning;
import org.atrium.gateway.pipeline.AdmissionStage;
import org.atrium.gateway.pipeline.CacheStage;
import org.atrium.gateway.live.BackendStatusService;
import org.atrium.gateway.live.LiveAlertsSource;
import org.atrium.gateway.live.LiveFeedEndpoint;
import org.atrium.gateway.live.LiveStatsRecorder;
import org.atrium.gateway.live.TelemetryHub;
import org.atrium.gateway.metrics.BackendCircuit;
import org.atrium.gateway.metrics.GatewayMetrics;
import org.atrium.gateway.metrics.MetricsService;
import org.atrium.gateway.pipeline.IpCheckStage;
import org.atrium.gateway.pipeline.IpRateLimitStage;
import org.atrium.gateway.pipeline.LimitsStage;
import org.atrium.gateway.pipeline.Pipeline;
import org.atrium.gateway.pipeline.PrincipalCheckStage;
import org.atrium.gateway.pipeline.RouteStage;
import org.atrium.gateway.pipeline.Stage;
import org.atrium.gateway.pipeline.TokenStage;
import org.atrium.gateway.proxy.TrafficHooks;
import org.atrium.gateway.proxy.UpstreamProxy;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.BackendAddressPolicy;
import org.atrium.gateway.config.ConfigException;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.security.Secrets;
import org.atrium.gateway.security.TokenVerifier;
import org.atrium.gateway.state.AuditSeal;
import org.atrium.gateway.state.SqliteStateStore;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.state.StateView;
import org.atrium.gateway.state.UsageRecorder;
import org.atrium.gateway.state.redis.RedisCallLimiter;
import org.atrium.gateway.state.redis.RedisStateStore;
import org.atrium.gateway.traffic.LocalBucketProvider;
import org.atrium.gateway.traffic.RateLimit;
import org.atrium.gateway.traffic.TrafficControl;
import org.atrium.gateway.telemetry.live.LiveStats;
import org.atrium.gateway.telemetry.live.TenantGauges;

/**
 * Wires the whole gateway by hand in one place: secrets, state, routes, pipeline, proxy, the data
 * and admin listeners. {@link #start} returns once both listeners accept connections.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GatewayServer.class.getName());
    public static final String VERSION = GatewayServer.class.getPackage().getImplementationVersion() == null
            ? "dev" : GatewayServer.class.getPackage().getImplementationVersion();
    public static final String ADMIN_SOCKET = "admin";

    /** What start-up needs; tests pass a fixed clock, port 0 and their own environment. */
    public record Options(Path configFile, Path dataDir, Map<String, String> env, Clock clock, Integer dataPort,
                          Integer adminPort) {
        public Options {
            env = env == null ? System.getenv() : env;
            clock = clock == null ? Clock.systemUTC() : clock;
        }

        public static Options of(Path configFile, Path dataDir) {
            return new Options(configFile, dataDir, null, null, null, null);
        }
    }

    private final GatewayConfig config;
    private final Path dataDir;
    private final Secrets secrets;
    private final StateStore store;
    private final StateView state;
    private final RouteRegistry routes;
    private final UsageRecorder usage;
    private final AccessLog accessLog;
    private final UpstreamProxy proxy;
    private final TokenVerifier verifier;
    private final WebServer server;
    private final ConnectionGuard connections;
    private final RouteFileWatcher watcher;
    private final TrafficControl traffic;
    private final GatewayMetrics metrics;
    private final TelemetryHub telemetry;
    private final Clock clock;
    private final String nodeId;
    private volatile boolean ready;

    private GatewayServer(Options o) throws IOException {
        HelidonTuning.applyInBackground(); // Helidon's registry is built while the config is read and the store opened
        this.clock = o.clock();
        GatewayConfig loaded = ConfigLoader.load(o.configFile());
        if (o.dataPort() != null || o.adminPort() != null) {
            loaded = loaded.withPorts(o.dataPort() != null ? o.dataPort() : loaded.server().port(),
                    o.adminPort() != null ? o.adminPort() : loaded.admin().port());
        }
        this.config = loaded;
        // checked before anything is opened: a refused file route stops start-up naming the field
        BackendAddressPolicy addressPolicy = addressPolicy(config, o.env());
        for (var r : config.routes()) {
            var refused = addressPolicy.refusal(r);
            if (refused.isPresent()) {
                throw new ConfigException((o.configFile() == null ? "configuration" : o.configFile().toString()) + ": "
                        + refused.get(), null);
            }
        }
        this.dataDir = o.dataDir();
        this.secrets = Secrets.load(dataDir, o.env().get("JWT_SECRET"),
                "true".equalsIgnoreCase(o.env().getOrDefault("ATRIUM_ADMIN_TOKEN_GROUP_READABLE", "false")));
        LOG.info("JWT secret from " + secrets.jwtSecretSource());
        this.nodeId = nodeId();
        this.store = openStore(config, o.env(), dataDir, clock, nodeId);
        this.state = new StateView(store, clock);
        var limits = config.limits();
        this.routes = new RouteRegistry(clock, new Backend.HealthPolicy(limits.passiveFailureThreshold(),
                Duration.ofSeconds(limits.ejectionSeconds()), Duration.ofSeconds(limits.maxEjectionSeconds())),
                config.inference());
        routes.addressPolicy(addressPolicy);
        routes.setFileRoutes(config.routes());
        state.onRoutes(routes::setStoredRoutes);
        this.usage = new UsageRecorder(store, clock, config.limits().zone(), config.state().usageFlushSeconds());
        if (store instanceof RedisStateStore redis) {
            redis.onReconnect(usage::flush); // counts kept during the outage go out at once
        }
        this.accessLog = accessLog(config, dataDir);
        this.verifier = new TokenVerifier(config.jwt(), secrets.jwtSecret(), clock, state::revoked);

        List<Stage> stages = new ArrayList<>(List.of(
                new IpCheckStage(state, clock),
                new TokenStage(verifier),
                new PrincipalCheckStage(state, clock),
                new RouteStage(routes, state, clock, config.server().maxBodyBytes())));
        HelidonTuning.apply(); // before the first Helidon client (the health checker's)
        this.traffic = trafficControl(limits, routes, clock, store);
        stages.add(new IpRateLimitStage(traffic.buckets(), new RateLimit(limits.ipRequestsPerMinute(), limits.ipBurst()),
                traffic.stats()));
        stages.add(new LimitsStage(traffic));
        stages.add(new CacheStage(traffic.cache(), config.server().maxBodyBytes()));
        TenantLoad tenantLoad = new TenantLoad(traffic, state::tenant);
        stages.add(new AdmissionStage(traffic, routes, tenantLoad));
        Pipeline pipeline = new Pipeline(stages);
        Pipeline authOnly = new Pipeline(List.of(new IpCheckStage(state, clock), new TokenStage(verifier),
                new PrincipalCheckStage(state, clock)));
        // Telemetry: metrics and live stats listen to the data path; the hub ticks alerts and live frames.
        TenantGauges tenantGauges = tenantLoad;
        BackendCircuit circuits = new BackendCircuit(traffic.breakers());
        this.metrics = new GatewayMetrics(routes, () -> state.tenants().keySet(), tenantGauges, circuits);
        LiveStats liveStats = new LiveStats(clock);
        this.telemetry = new TelemetryHub(config.telemetry(), clock, routes, liveStats, store,
                () -> state.tenants().keySet(), tenantGauges,
                "redis".equals(config.state().backend()) ? store::healthy : () -> null, dataDir, circuits);
        TopTalkers topTalkers = new TopTalkers(clock, 10_000);
        this.proxy = new UpstreamProxy(new TrafficHooks(traffic));
        DataPathService data = new DataPathService(pipeline, authOnly, proxy, routes,
                usage, accessLog, config.server().trustedProxies(), config.server().maxBodyBytes(), clock, this::readiness,
                List.of(metrics, new LiveStatsRecorder(liveStats, metrics.bounds()), topTalkers));
        MetricsService metricsService = new MetricsService(metrics);
        AdminAuth adminAuth = new AdminAuth(secrets.adminToken(), verifier,
                (type, id) -> state.bans().find(type, id, clock.instant()).isPresent());
        LiveFeedEndpoint live = telemetry.endpoint(adminAuth, config.admin().host());
        AdminService admin = new AdminService(adminAuth, VERSION, nodeId, Instant.now(clock),
                config.state().backend(), () -> ready, config.limits().zone());
        AdminApi adminApi = new AdminApi(new AdminApi.Deps(store, clock, config.limits().zone(),
                new TokenMinter(config.jwt().algorithms().contains("HS256") ? secrets.jwtSecret() : null,
                        config.jwt().maxLifetimeSeconds(), clock),
                routes::specs, usage::flush, topTalkers, telemetry.alertsSource(), addressPolicy));

        ServerConfig sc = config.server();
        this.connections = new ConnectionGuard(Duration.ofSeconds(sc.headerTimeoutSeconds()),
                Duration.ofSeconds(sc.idleTimeoutSeconds()), Duration.ofSeconds(sc.bodyTimeoutSeconds()), sc.maxConnections());
        registerConnectionMetrics(metrics.registry(), connections);
        this.server = WebServer.builder()
                .host(sc.host())
                .port(sc.port())
                .maxPayloadSize(sc.maxBodyBytes() + 1024 * 1024) // backstop; the pipeline answers 413 first
                // The connection guard caps connections and times out heads and idle ones; Helidon's cap
                // stops accepting (callers wait in the kernel's queue) and its idle check cannot reach a
                // connection part-way through a head. Helidon's cap stays as a backstop above the guard's
                // for what the guard never sees: TLS handshakes, which Helidon runs before handing over.
                .maxTcpConnections(sc.maxConnections() + Math.max(1_000, sc.maxConnections() / 10))
                .connectionOptions(s -> s.tcpNoDelay(true))
                // Blocking socket streams rather than NIO channels: the NIO socket keeps an 8 KiB read
                // and an 8 KiB write buffer per connection, the plain one only the read buffer: 8 KiB less
                // per open stream (heap dump at 2,000 open streams), same syscalls per relayed chunk.
                .useNio(false)
                // The relay flushes after every write, so Helidon's 4 KiB response buffer only copied
                // each chunk once more and held 4 KiB per open stream: unbuffered, a write is one chunk.
                .writeBufferSize(0)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(connections.selector(http1(HeaderLimitFilter.parserBackstop(sc.maxHeaderBytes()))))
                .shutdownGracePeriod(Duration.ofSeconds(5))
                .directHandlers(TransportErrors::register)
                .update(b -> {
                    if (sc.tls() != null) {
                        b.tls(tls(sc));
                    }
                })
                .routing(r -> {
                    r.addFilter(connections.filter());
                    r.addFilter(new ConnectionCloseFilter());
                    r.addFilter(new HeaderLimitFilter(sc.maxHeaderBytes()));
                    if (sc.metricsOnDataPort()) {
                        r.register(metricsService); // before the data path's catch-all 404
                    }
                    r.register(data);
                })
                .putSocket(ADMIN_SOCKET, s -> s
                        .host(config.admin().host())
                        .port(config.admin().port())
                        .maxPayloadSize(4L * 1024 * 1024)
                        .maxTcpConnections(256)
                        .idleConnectionTimeout(Duration.ofSeconds(sc.idleTimeoutSeconds()))
                        .addProtocol(http1(16 * 1024))
                        // Only the live feed's auth message comes in over WebSocket: keep frames small.
                        .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(64 * 1024).build())
                        .routing(r -> {
                            r.addFilter(live.upgradeGuard());
                            adminApi.routing(r, adminAuth, admin);
                            r.register(metricsService).register("/admin/v1", live)
                                    .register("/admin/v1/backends", new BackendStatusService(telemetry));
                        })
                        .addRouting(WsRouting.builder().endpoint("/admin/v1" + LiveFeedEndpoint.PATH, live::newListener)))
                .build();
        this.watcher = o.configFile() == null ? null
                : new RouteFileWatcher(o.configFile(), routes::setFileRoutes, 1000);
    }

    /** The configured state store: embedded SQLite in the data dir, or Redis (also used by the offline CLI). */
    public static StateStore openStore(GatewayConfig config, Map<String, String> env, Path dataDir, Clock clock,
                                       String nodeId) {
        if ("redis".equals(config.state().backend())) {
            StateConfig.RedisConfig r = config.state().redis().withEnv(env);
            return RedisStateStore.open(new RedisStateStore.Settings(r.address(), r.password(),
                    Duration.ofMillis(r.timeoutMillis()), null, dataDir.resolve("state-snapshot.json"), nodeId), clock);
        }
        return new SqliteStateStore(dataDir.resolve("atrium.db"), "full".equals(config.state().sync()), clock)
                .seal(AuditSeal.create(dataDir));
    }

    /** Backends may not be link-local or metadata addresses, this gateway's listeners or its Redis. */
    public static BackendAddressPolicy addressPolicy(GatewayConfig config, Map<String, String> env) {
        List<BackendAddressPolicy.Own> own = new ArrayList<>(List.of(
                new BackendAddressPolicy.Own("data listener", config.server().host(), config.server().port()),
                new BackendAddressPolicy.Own("admin listener", config.admin().host(), config.admin().port())));
        if ("redis".equals(config.state().backend())) {
            try {
                java.net.URI redis = java.net.URI.create(config.state().redis().withEnv(env).address());
                if (redis.getHost() != null) {
                    own.add(new BackendAddressPolicy.Own("Redis", redis.getHost(), redis.getPort() > 0 ? redis.getPort() : 6379));
                }
            } catch (RuntimeException e) {
                // an unparsable address fails when the store opens
            }
        }
        return new BackendAddressPolicy(config.server().allowedBackendAddresses(), own);
    }

    /** Local limits on one node; on Redis, limits shared by all nodes that fall back to local ones. */
    private static TrafficControl trafficControl(LimitsConfig limits, RouteRegistry routes, Clock clock, StateStore store) {
        if (!(store instanceof RedisStateStore redis)) {
            return TrafficControl.local(limits, routes, clock, store);
        }
        LocalBucketProvider localBuckets = new LocalBucketProvider(clock, limits.maxTrackedClients(),
                Duration.ofSeconds(limits.trackedIdleSeconds()));
        RedisCallLimiter shared = new RedisCallLimiter(redis, localBuckets, key -> TrafficControl.usedToday(store, key));
        return new TrafficControl(limits, routes, clock, localBuckets, shared, shared);
    }

    /**
     * The {@code /ready} text, or null while starting or stopping (503): {@code READY}, or
     * {@code READY DEGRADED ...} (still 200) while the shared store is unreachable. Degraded stays 200 on purpose: every node shares the same Redis,
     * so failing readiness would pull all nodes out of the load balancer at once and stop clinical
     * traffic that the nodes can still serve from their last known state. The outage is reported
     * through {@link StateStore#healthy()} (alerts) and this body instead.
     */
    private String readiness() {
        if (!ready) {
            return null;
        }
        return store.healthy() ? "READY\n" : "READY DEGRADED: state store (" + config.state().backend()
                + ") unreachable; serving the last known state with local limits\n";
    }

    private static void registerConnectionMetrics(MeterRegistry registry, ConnectionGuard guard) {
        Gauge.builder("atrium.connections.open", guard, ConnectionGuard::open)
                .description("Data-port connections open now").register(registry);
        String help = "Data-port connections the gateway closed or refused, by reason";
        FunctionCounter.builder("atrium.connections.closed", guard, ConnectionGuard::headTimeouts)
                .description(help).tag("reason", "header_timeout").register(registry);
        FunctionCounter.builder("atrium.connections.closed", guard, ConnectionGuard::idleTimeouts)
                .description(help).tag("reason", "idle_timeout").register(registry);
        FunctionCounter.builder("atrium.connections.closed", guard, ConnectionGuard::bodyTimeouts)
                .description(help).tag("reason", "body_timeout").register(registry);
        FunctionCounter.builder("atrium.connections.closed", guard, ConnectionGuard::evicted)
                .description(help).tag("reason", "max_connections").register(registry);
        FunctionCounter.builder("atrium.connections.closed", guard, ConnectionGuard::refused)
                .description(help).tag("reason", "refused").register(registry);
    }

    /**
     * Request headers are validated as they are parsed (they come from anyone). Response headers are
     * not validated again on the way out: they are the backend's, which the proxy's client validated
     * as it read them, or Atrium's own (about 3 % of the CPU of a proxied call went to validating
     * every header twice).
     */
    private static Http1Config http1(int maxHeaderBytes) {
        return Http1Config.builder()
                .maxHeadersSize(maxHeaderBytes)
                .maxPrologueLength(8192)
                .validatePath(true)
                .validateResponseHeaders(false)
                .build();
    }

    private static Tls tls(ServerConfig sc) {
        var t = sc.tls();
        if (t.pem()) {
            Keys keys = Keys.builder().pem(p -> p.key(Resource.create(Path.of(t.keyFile())))
                    .certChain(Resource.create(Path.of(t.certFile())))).build();
            return Tls.builder().privateKey(keys.privateKey().orElseThrow(
                            () -> new IllegalStateException("No private key in " + t.keyFile())))
                    .privateKeyCertChain(keys.certChain())
                    .build();
        }
        // PKCS#12: the first private-key entry, whatever its alias.
        char[] pass = t.keystorePassword() == null ? new char[0] : t.keystorePassword().toCharArray();
        try (var in = Files.newInputStream(Path.of(t.keystoreFile()))) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, pass);
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    var key = (java.security.PrivateKey) ks.getKey(alias, pass);
                    List<java.security.cert.X509Certificate> chain = java.util.Arrays.stream(ks.getCertificateChain(alias))
                            .map(c -> (java.security.cert.X509Certificate) c).toList();
                    return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
                }
            }
            throw new IllegalStateException("No private key entry in " + t.keystoreFile());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the TLS keystore " + t.keystoreFile() + ": " + e.getMessage(), e);
        }
    }

    private static AccessLog accessLog(GatewayConfig config, Path dataDir) throws IOException {
        String f = config.accessLog().file();
        if (!config.accessLog().enabled()) {
            return AccessLog.disabled();
        }
        return "-".equals(f) ? AccessLog.toStdout()
                : AccessLog.toFile(f == null ? dataDir.resolve("logs").resolve("access.log") : Path.of(f));
    }

    private String nodeId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static GatewayServer start(Options options) throws IOException {
        GatewayServer g = new GatewayServer(options);
        g.server.start();
        if (!g.server.isRunning() || g.server.port() < 0 || g.server.port(ADMIN_SOCKET) < 0) {
            // Helidon logs a failed bind and returns: without this the process announced "ready"
            // on port -1 and lived on serving nothing, so a service manager never saw the failure.
            g.close();
            throw new IllegalStateException("cannot listen on " + g.config.server().host() + ":" + g.config.server().port()
                    + " (data) or " + g.config.admin().host() + ":" + g.config.admin().port()
                    + " (admin): port in use or not permitted");
        }
        g.traffic.start();
        g.telemetry.start();
        g.ready = true;
        LOG.info(() -> "Atrium gateway " + VERSION + " ready: data on " + g.config.server().host() + ":" + g.dataPort()
                + ", admin on " + g.config.admin().host() + ":" + g.adminPort() + ", data dir " + g.dataDir);
        return g;
    }

    public int dataPort() {
        return server.port();
    }

    public int adminPort() {
        return server.port(ADMIN_SOCKET);
    }

    public Path dataDir() {
        return dataDir;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The request path's in-memory copy of tenants, bans, revocations and stored routes. */
    public StateView state() {
        return state;
    }

    public StateStore store() {
        return store;
    }

    public RouteRegistry routes() {
        return routes;
    }

    public Secrets secrets() {
        return secrets;
    }

    public UsageRecorder usage() {
        return usage;
    }

    /** Limits, quotas, queues, breakers, cache and health checks of this node (metrics read its counters). */
    public TrafficControl traffic() {
        return traffic;
    }

    public boolean ready() {
        return ready;
    }

    /** The data listener's connection cap and deadlines. */
    public ConnectionGuard connections() {
        return connections;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public TelemetryHub telemetry() {
        return telemetry;
    }

    /** For the admin API's alert resources ({@code AlertsSource}). */
    public LiveAlertsSource alerts() {
        return telemetry.alertsSource();
    }

    @Override
    public void close() {
        ready = false;
        if (watcher != null) {
            watcher.close();
        }
        traffic.close();
        telemetry.close();
        server.stop();
        connections.close();
        proxy.close();
        usage.close();
        accessLog.close();
        store.close();
    }
}
