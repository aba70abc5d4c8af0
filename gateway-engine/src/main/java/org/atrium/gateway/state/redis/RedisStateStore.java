package org.atrium.gateway.state.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.state.AuditChain;
import org.atrium.gateway.state.AuditRecord;
import org.atrium.gateway.state.StateChange;
import org.atrium.gateway.state.StateException;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.state.UsageDelta;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

/**
 * The shared store for several gateway nodes, on Redis through Redisson. Values are the same JSON
 * the embedded store keeps, in plain Redis hashes (readable with {@code redis-cli}).
 *
 * <ul>
 *   <li>Every write is one Lua script: it changes the data, bumps a per-kind generation counter
 *   and publishes {@code "KIND generation node"} on a channel, atomically. Other nodes reload that
 *   kind when the message arrives; a ping every 500 ms also compares the generations, so a message
 *   lost during a reconnect still reaches every node within about a second.</li>
 *   <li>Ban expiry uses the store's injected clock (an expiry index purged on read), not Redis
 *   key TTLs, so expiry agrees with {@link Ban#activeAt} and tests can move time.</li>
 *   <li>The audit chain is appended with a compare-and-set on the chain head inside a script: two
 *   nodes appending at once never fork it; the loser recomputes on the new head and retries.</li>
 *   <li>Usage is added with {@code HINCRBY} inside one script per batch, so a batch counts whole
 *   or not at all.</li>
 *   <li>Reads of tenants, routes, bans and tokens are remembered in a local snapshot file. While
 *   Redis is unreachable (also at start) they answer from that snapshot; writes, usage and audit
 *   fail at once with {@link StateException}. The connection is retried in the background and
 *   everything is re-read when Redis answers again.</li>
 * </ul>
 */
public final class RedisStateStore implements StateStore {
    private static final Logger LOG = Logger.getLogger(RedisStateStore.class.getName());
    private static final ObjectMapper JSON = Json.mapper();
    private static final StringCodec CODEC = StringCodec.INSTANCE;
    private static final char SEP = '\u001f';
    private static final int USAGE_ROWS_PER_SCRIPT = 500;
    private static final int CAS_ATTEMPTS = 50;

    /**
     * Connection and layout settings.
     *
     * @param keyPrefix    every key starts with it (default {@code atrium:}); lets several
     *                     installations or tests share one Redis
     * @param snapshotFile where the last known state is kept for starts without Redis; null: none
     */
    public record Settings(String address, String password, Duration timeout, String keyPrefix, Path snapshotFile,
                           String nodeId) {
        public Settings {
            Objects.requireNonNull(address, "address");
            timeout = timeout == null ? Duration.ofMillis(500) : timeout;
            keyPrefix = keyPrefix == null ? "atrium:" : keyPrefix;
            nodeId = nodeId == null || nodeId.isBlank() ? UUID.randomUUID().toString().substring(0, 8) : nodeId;
            password = password == null || password.isEmpty() ? null : password;
        }
    }

    // Writes a hash field (set / compare-and-set / delete), keeps the ban expiry index, bumps the
    // kind's generation and publishes it. Returns the new generation, 0 when nothing was deleted,
    // -1 when a compare-and-set lost.
    private static final String WRITE = """
            local op = ARGV[1]
            local n = 1
            if op == 'set' then
              redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            elseif op == 'cas' then
              if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[8] then return -1 end
              redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            else
              n = redis.call('HDEL', KEYS[1], ARGV[2])
            end
            if KEYS[3] then
              if op ~= 'del' and ARGV[7] ~= '' then redis.call('ZADD', KEYS[3], ARGV[7], ARGV[2])
              else redis.call('ZREM', KEYS[3], ARGV[2]) end
            end
            if n == 0 then return 0 end
            local g = redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
            redis.call('PUBLISH', ARGV[5], ARGV[4] .. ' ' .. g .. ' ' .. ARGV[6])
            return g
            """;

    // Drops bans whose expiry (ms) is <= now, then returns all remaining ban values.
    private static final String BANS = """
            local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
            for _, f in ipairs(dead) do redis.call('HDEL', KEYS[1], f) end
            if #dead > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1]) end
            return redis.call('HVALS', KEYS[1])
            """;

    // ARGV[1]: prefix of the per-day hashes; then groups of 8:
    // epochDay, day, row (tenant SEP user SEP route), requests, errors, prompt, completion, gpuMillis.
    private static final String USAGE = """
            for i = 2, #ARGV, 8 do
              local h = ARGV[1] .. ARGV[i + 1]
              local f = ARGV[i + 2] .. '\\31'
              if ARGV[i + 3] ~= '0' then redis.call('HINCRBY', h, f .. 'r', ARGV[i + 3]) end
              if ARGV[i + 4] ~= '0' then redis.call('HINCRBY', h, f .. 'e', ARGV[i + 4]) end
              if ARGV[i + 5] ~= '0' then redis.call('HINCRBY', h, f .. 'p', ARGV[i + 5]) end
              if ARGV[i + 6] ~= '0' then redis.call('HINCRBY', h, f .. 'c', ARGV[i + 6]) end
              if ARGV[i + 7] ~= '0' then redis.call('HINCRBY', h, f .. 'g', ARGV[i + 7]) end
              redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            return 1
            """;

    // Appends an audit entry only if the chain head is still the one the entry was built on.
    private static final String AUDIT = """
            local head = redis.call('GET', KEYS[2]) or ''
            if head ~= ARGV[1] then return 0 end
            redis.call('RPUSH', KEYS[1], ARGV[2])
            redis.call('SET', KEYS[2], ARGV[3])
            return 1
            """;

    // Stores one alert occurrence, indexes it by firing time and, once resolved, prunes the oldest
    // resolved occurrences beyond ARGV[5]. KEYS: hash, all-by-time zset, resolved-by-time zset.
    private static final String ALERT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            if ARGV[4] == '1' then
              redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
              local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[5])
              if extra > 0 then
                for _, f in ipairs(redis.call('ZRANGE', KEYS[3], 0, extra - 1)) do
                  redis.call('HDEL', KEYS[1], f)
                  redis.call('ZREM', KEYS[2], f)
                  redis.call('ZREM', KEYS[3], f)
                end
              end
            end
            return 1
            """;
    /** Resolved alert occurrences kept, as in the embedded store. */
    static final int ALERT_HISTORY = 10_000;

    private final Settings settings;
    private final Clock clock;
    private final Keys keys;
    private final RedisLink link;
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    private final List<Consumer<Boolean>> healthListeners = new CopyOnWriteArrayList<>();
    private final Map<StateChange, Long> seen = new ConcurrentHashMap<>();
    private final ExecutorService events;
    private volatile Thread eventsThread;
    private volatile LocalSnapshot snapshot;

    /** Redis key names under the configured prefix. */
    private record Keys(String tenants, String routes, String tokens, String bans, String banExpiry, String gen,
                        String channel, String usageDays, String usagePrefix, String audit, String auditHead,
                        String alerts, String alertsByTime, String alertsResolved) {
        static Keys of(String p) {
            return new Keys(p + "tenants", p + "routes", p + "tokens", p + "bans", p + "bans:expiry", p + "gen",
                    p + "changes", p + "usage:days", p + "usage:", p + "audit", p + "audit:head", p + "alerts",
                    p + "alerts:by-time", p + "alerts:resolved");
        }
    }

    private RedisStateStore(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.keys = Keys.of(settings.keyPrefix());
        this.snapshot = LocalSnapshot.read(settings.snapshotFile());
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "atrium-redis-events");
            t.setDaemon(true);
            eventsThread = t;
            return t;
        });
        this.link = new RedisLink(settings.address(), () -> createClient(settings), settings.timeout(),
                new RedisLink.Hooks() {
                    @Override
                    public void subscribe(RedissonClient client) {
                        RedisStateStore.this.subscribe(client);
                    }

                    @Override
                    public void resync() {
                        RedisStateStore.this.resync();
                    }

                    @Override
                    public void ping(RedissonClient client) {
                        RedisStateStore.this.ping(client);
                    }
                }, up -> healthListeners.forEach(l -> l.accept(up)));
    }

    /**
     * Opens the store. Never fails because Redis is down: it then answers reads from the snapshot
     * file, reports {@link #healthy()} false and connects in the background.
     */
    public static RedisStateStore open(Settings settings, Clock clock) {
        RedisStateStore s = new RedisStateStore(settings, clock);
        s.link.start();
        if (!s.healthy()) {
            LOG.warning("Starting without Redis (" + settings.address() + "): serving the last local snapshot ("
                    + s.snapshot.tenants().size() + " tenants, " + s.snapshot.routes().size() + " routes, "
                    + s.snapshot.bans().size() + " bans, " + s.snapshot.tokens().size() + " tokens)");
        }
        return s;
    }

    private static RedissonClient createClient(Settings s) {
        int t = (int) s.timeout().toMillis();
        Config c = new Config();
        c.setCodec(CODEC);
        c.setThreads(2);
        c.setNettyThreads(4);
        c.useSingleServer()
                .setAddress(s.address())
                .setPassword(s.password())
                .setClientName("atrium-" + s.nodeId())
                // Connecting is never on the request path (the link does it in the background); a
                // cold JVM on a busy 2-core box needs more than a command's timeout for the first one.
                .setConnectTimeout(Math.max(t, 2_000))
                // Redisson's own command timeout is only a backstop: RedisLink.call bounds every
                // caller's wait at timeoutMillis; a longer one here lets a cold JVM finish its handshake.
                .setTimeout(Math.max(t, 2_000))
                .setSubscriptionTimeout(Math.max(t, 2_000))
                // One bounded attempt: callers (admin API, usage recorder) decide about retrying.
                .setRetryAttempts(0)
                .setRetryDelay(new ConstantDelay(Duration.ofMillis(Math.max(10, t / 5))))
                .setReconnectionDelay(new ConstantDelay(Duration.ofMillis(Math.max(50, t / 2))))
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2)
                .setPingConnectionInterval(1000)
                .setKeepAlive(true);
        return Redisson.create(c);
    }

    // ---- link hooks (run on the link thread)

    private void subscribe(RedissonClient client) {
        link.awaitSetup(client.getTopic(keys.channel(), CODEC)
                .addListenerAsync(String.class, (channel, msg) -> events.execute(() -> onMessage(msg))));
    }

    private void onMessage(String msg) {
        String[] parts = msg.split(" ");
        try {
            StateChange kind = StateChange.valueOf(parts[0]);
            long gen = Long.parseLong(parts[1]);
            if (advance(kind, gen)) {
                notifyListeners(kind);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Ignoring change message " + msg, e);
        }
    }

    /** Records a generation; true when it is newer than the last one this node has seen. */
    private boolean advance(StateChange kind, long gen) {
        boolean[] newer = {false};
        seen.compute(kind, (k, old) -> {
            if (old == null || gen > old) {
                newer[0] = true;
                return gen;
            }
            return old;
        });
        return newer[0];
    }

    private void ping(RedissonClient client) {
        Map<String, String> gens = link.await(client.<String, String>getMap(keys.gen(), CODEC).readAllMapAsync());
        for (StateChange kind : StateChange.values()) {
            long gen = parseLong(gens.get(kind.name()));
            Long old = seen.put(kind, gen);
            // "!=" rather than ">": a Redis that restarted without its data counts from 0 again.
            if (old != null && old != gen) {
                events.execute(() -> notifyListeners(kind));
            }
        }
    }

    private void resync() {
        events.execute(() -> {
            for (StateChange kind : StateChange.values()) {
                notifyListeners(kind);
            }
            for (Runnable r : reconnectHooks) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Re-sync hook failed", e);
                }
            }
        });
    }

    private void notifyListeners(StateChange change) {
        for (Consumer<StateChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "State listener failed", e);
            }
        }
    }

    // ---- tenants

    @Override
    public List<TenantSpec> tenants() {
        return readPart("read tenants", keys.tenants(), TenantSpec.class, Comparator.comparing(TenantSpec::id),
                LocalSnapshot::tenants, LocalSnapshot::withTenants);
    }

    @Override
    public Optional<TenantSpec> tenant(String id) {
        if (link.up()) {
            try {
                String json = link.call("read a tenant",
                        c -> c.<String, String>getMap(keys.tenants(), CODEC).getAsync(id));
                return Optional.ofNullable(json).map(j -> parse(j, TenantSpec.class));
            } catch (StateException e) {
                LOG.fine(() -> "Tenant from the local snapshot: " + e.getMessage());
            }
        }
        return snapshot.tenants().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public void putTenant(TenantSpec tenant) {
        write("save tenant " + tenant.id(), StateChange.TENANTS, keys.tenants(), "set", tenant.id(), json(tenant),
                "", "");
    }

    @Override
    public boolean deleteTenant(String id) {
        return write("delete tenant " + id, StateChange.TENANTS, keys.tenants(), "del", id, "", "", "") > 0;
    }

    // ---- routes

    @Override
    public List<RouteSpec> routes() {
        return readPart("read routes", keys.routes(), RouteSpec.class, Comparator.comparing(RouteSpec::id),
                LocalSnapshot::routes, LocalSnapshot::withRoutes);
    }

    @Override
    public void putRoute(RouteSpec route) {
        write("save route " + route.id(), StateChange.ROUTES, keys.routes(), "set", route.id(), json(route), "", "");
    }

    @Override
    public boolean deleteRoute(String id) {
        return write("delete route " + id, StateChange.ROUTES, keys.routes(), "del", id, "", "", "") > 0;
    }

    // ---- bans

    /** Active bans only: expired ones are purged here (by this store's clock). */
    @Override
    public List<Ban> bans() {
        Instant now = clock.instant();
        Comparator<Ban> order = Comparator.comparing((Ban b) -> b.type().wire()).thenComparing(Ban::target);
        if (link.up()) {
            try {
                List<Object> values = link.call("read bans", c -> c.getScript(CODEC).evalAsync(RScript.Mode.READ_WRITE,
                        BANS, RScript.ReturnType.LIST, List.of(keys.bans(), keys.banExpiry()),
                        Long.toString(now.toEpochMilli())));
                List<Ban> bans = values.stream().map(v -> parse(String.valueOf(v), Ban.class))
                        .filter(b -> b.activeAt(now)).sorted(order).toList();
                remember(s -> s.withBans(bans));
                return bans;
            } catch (StateException e) {
                LOG.fine(() -> "Bans from the local snapshot: " + e.getMessage());
            }
        }
        return snapshot.bans().stream().filter(b -> b.activeAt(now)).sorted(order).toList();
    }

    @Override
    public void putBan(Ban ban) {
        write("save ban " + ban.type().wire() + " " + ban.target(), StateChange.BANS, keys.bans(), "set",
                banField(ban.type(), ban.target()), json(ban),
                ban.expiresAt() == null ? "" : Long.toString(ban.expiresAt().toEpochMilli()), "");
    }

    @Override
    public boolean deleteBan(BanType type, String target) {
        return write("delete ban " + type.wire() + " " + target, StateChange.BANS, keys.bans(), "del",
                banField(type, target), "", "", "") > 0;
    }

    private static String banField(BanType type, String target) {
        return type.wire() + SEP + target.strip();
    }

    // ---- tokens

    @Override
    public List<TokenInfo> tokens() {
        return readPart("read tokens", keys.tokens(), TokenInfo.class, Comparator.comparing(TokenInfo::jti),
                LocalSnapshot::tokens, LocalSnapshot::withTokens);
    }

    @Override
    public void registerToken(TokenInfo token) {
        write("register token " + token.jti(), StateChange.TOKENS, keys.tokens(), "set", token.jti(), json(token),
                "", "");
    }

    @Override
    public boolean revokeToken(String jti, Instant at) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String current = link.call("revoke token " + jti,
                    c -> c.<String, String>getMap(keys.tokens(), CODEC).getAsync(jti));
            if (current == null) {
                return false;
            }
            TokenInfo t = parse(current, TokenInfo.class);
            if (t.revoked()) {
                return true; // the first revocation time stands
            }
            TokenInfo revoked = new TokenInfo(t.jti(), t.tenant(), t.user(), t.allowedTasks(), t.role(), t.issuedAt(),
                    t.expiresAt(), at, t.issuedBy());
            if (write("revoke token " + jti, StateChange.TOKENS, keys.tokens(), "cas", jti, json(revoked), "",
                    current) >= 0) {
                return true;
            }
        }
        throw new StateException("Token " + jti + " kept changing while revoking it; try again", null);
    }

    // ---- usage

    @Override
    public void addUsage(List<UsageDelta> deltas) {
        for (int from = 0; from < deltas.size(); from += USAGE_ROWS_PER_SCRIPT) {
            List<UsageDelta> chunk = deltas.subList(from, Math.min(deltas.size(), from + USAGE_ROWS_PER_SCRIPT));
            List<Object> args = new ArrayList<>(1 + chunk.size() * 8);
            args.add(keys.usagePrefix());
            for (UsageDelta d : chunk) {
                args.add(Long.toString(d.day().toEpochDay()));
                args.add(d.day().toString());
                args.add(d.tenant() + SEP + d.user() + SEP + d.route());
                args.add(Long.toString(d.requests()));
                args.add(Long.toString(d.errors()));
                args.add(Long.toString(d.promptTokens()));
                args.add(Long.toString(d.completionTokens()));
                args.add(Long.toString(d.gpuMillis()));
            }
            link.call("record usage", c -> c.getScript(CODEC).<Long>evalAsync(RScript.Mode.READ_WRITE, USAGE,
                    RScript.ReturnType.LONG, List.of(keys.usageDays()), args.toArray()));
        }
    }

    @Override
    public List<UsageRow> usage(LocalDate from, LocalDate to, String tenant) {
        var days = link.call("read usage", c -> c.<String>getScoredSortedSet(keys.usageDays(), CODEC)
                .valueRangeAsync(from.toEpochDay(), true, to.toEpochDay(), true));
        List<UsageRow> rows = new ArrayList<>();
        for (String day : days) {
            Map<String, String> fields = link.call("read usage",
                    c -> c.<String, String>getMap(keys.usagePrefix() + day, CODEC).readAllMapAsync());
            // row key -> {requests, errors, prompt, completion, gpuMillis}
            TreeMap<String, long[]> byRow = new TreeMap<>();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                String name = f.getKey();
                int cut = name.lastIndexOf(SEP);
                String row = name.substring(0, cut);
                if (tenant != null && !row.startsWith(tenant + SEP)) {
                    continue;
                }
                int i = switch (name.substring(cut + 1)) {
                    case "r" -> 0;
                    case "e" -> 1;
                    case "p" -> 2;
                    case "c" -> 3;
                    case "g" -> 4;
                    default -> -1;
                };
                if (i >= 0) {
                    byRow.computeIfAbsent(row, r -> new long[5])[i] += Long.parseLong(f.getValue());
                }
            }
            LocalDate d = LocalDate.parse(day);
            for (Map.Entry<String, long[]> r : byRow.entrySet()) {
                String[] id = r.getKey().split(String.valueOf(SEP), 3);
                long[] v = r.getValue();
                rows.add(new UsageRow(d, id[0], id[1], id[2], v[0], v[1], v[2], v[3], v[4] / 1000.0));
            }
        }
        rows.sort(Comparator.comparing(UsageRow::day).thenComparing(UsageRow::tenant).thenComparing(UsageRow::user)
                .thenComparing(UsageRow::route));
        return rows;
    }

    // ---- audit

    @Override
    public AuditEntry appendAudit(AuditRecord record) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String head = link.call("append to the audit trail",
                    c -> c.<String>getBucket(keys.auditHead(), CODEC).getAsync());
            long seq = 0;
            String prev = AuditChain.GENESIS;
            if (head != null) {
                int sp = head.indexOf(' ');
                seq = Long.parseLong(head.substring(0, sp)) + 1;
                prev = head.substring(sp + 1);
            }
            AuditEntry e = AuditChain.next(seq, clock.instant(), record, prev);
            String expected = head == null ? "" : head;
            Long ok = link.call("append to the audit trail", c -> c.getScript(CODEC).evalAsync(RScript.Mode.READ_WRITE,
                    AUDIT, RScript.ReturnType.LONG, List.of(keys.audit(), keys.auditHead()), expected, json(e),
                    e.seq() + " " + e.hash()));
            if (ok != null && ok == 1) {
                return e;
            }
        }
        throw new StateException("The audit trail kept moving while appending; try again", null);
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, String actor) {
        List<String> all = link.call("read the audit trail", c -> c.<String>getList(keys.audit(), CODEC).readAllAsync());
        List<AuditEntry> out = new ArrayList<>();
        for (String s : all) {
            AuditEntry e = parse(s, AuditEntry.class);
            if ((from == null || !e.at().isBefore(from)) && (to == null || e.at().isBefore(to))
                    && (actor == null || actor.equals(e.actor()))) {
                out.add(e);
            }
        }
        return out;
    }

    // ---- alerts (shared by the nodes: each node's alert engine writes its own occurrences)

    @Override
    public void putAlert(AlertInfo alert) {
        String field = alert.id() + SEP + alert.firedAt().toEpochMilli();
        link.call("store an alert", c -> c.getScript(CODEC).<Long>evalAsync(RScript.Mode.READ_WRITE, ALERT,
                RScript.ReturnType.LONG, List.of(keys.alerts(), keys.alertsByTime(), keys.alertsResolved()), field,
                json(alert), Long.toString(alert.firedAt().toEpochMilli()), alert.resolvedAt() == null ? "0" : "1",
                Integer.toString(ALERT_HISTORY)));
    }

    private static final Comparator<AlertInfo> NEWEST_FIRST =
            Comparator.comparing(AlertInfo::firedAt).reversed().thenComparing(AlertInfo::id);

    @Override
    public List<AlertInfo> activeAlerts() {
        // Active occurrences are few; the hash also holds up to ALERT_HISTORY resolved ones, so
        // read the newest by time and stop at the resolved tail.
        Collection<String> fields = link.call("read alerts", c -> c.<String>getScoredSortedSet(keys.alertsByTime(), CODEC)
                .valueRangeReversedAsync(0, -1));
        Collection<String> resolved = link.call("read alerts",
                c -> c.<String>getScoredSortedSet(keys.alertsResolved(), CODEC).readAllAsync());
        java.util.Set<String> done = new java.util.HashSet<>(resolved);
        List<String> active = fields.stream().filter(f -> !done.contains(f)).toList();
        return readAlerts(active).stream().filter(a -> a.resolvedAt() == null).sorted(NEWEST_FIRST).toList();
    }

    @Override
    public List<AlertInfo> alerts(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Collection<String> fields = link.call("read alerts", c -> c.<String>getScoredSortedSet(keys.alertsByTime(), CODEC)
                .valueRangeReversedAsync(0, limit - 1));
        return readAlerts(List.copyOf(fields)).stream().sorted(NEWEST_FIRST).toList();
    }

    private List<AlertInfo> readAlerts(List<String> fields) {
        if (fields.isEmpty()) {
            return List.of();
        }
        Map<String, String> values = link.call("read alerts",
                c -> c.<String, String>getMap(keys.alerts(), CODEC).getAllAsync(new java.util.HashSet<>(fields)));
        return values.values().stream().map(v -> parse(v, AlertInfo.class)).toList();
    }

    // ---- plumbing

    @Override
    public void onChange(Consumer<StateChange> listener) {
        listeners.add(listener);
    }

    /** Called after the store (re)connects and re-synced, e.g. to flush usage kept during an outage. */
    public void onReconnect(Runnable hook) {
        reconnectHooks.add(hook);
    }

    /** Told {@code false} when Redis becomes unreachable and {@code true} when it answers again. */
    public void onHealthChange(Consumer<Boolean> listener) {
        healthListeners.add(listener);
    }

    /** Whether Redis answers now; false while serving from the last known state. */
    @Override
    public boolean healthy() {
        return link.up();
    }

    public String address() {
        return settings.address();
    }

    /** Runs one Redis operation bounded like the store's own (for the Redis limit implementations). */
    public <T> T call(String what, Function<RedissonClient, ? extends CompletionStage<T>> op) {
        return link.call(what, op);
    }

    RedisLink link() {
        return link;
    }

    public String keyPrefix() {
        return settings.keyPrefix();
    }

    private long write(String what, StateChange kind, String hash, String op, String field, String value,
                       String expiresAt, String expected) {
        List<Object> k = kind == StateChange.BANS ? List.of(hash, keys.gen(), keys.banExpiry()) : List.of(hash, keys.gen());
        Long g = link.call(what, c -> c.getScript(CODEC).evalAsync(RScript.Mode.READ_WRITE, WRITE,
                RScript.ReturnType.LONG, k, op, field, value, kind.name(), keys.channel(), settings.nodeId(), expiresAt,
                expected));
        long gen = g == null ? 0 : g;
        if (gen > 0) {
            advance(kind, gen);
            seeOwnWrite(kind);
        }
        return gen;
    }

    /**
     * This node sees its own write before the write returns, like the embedded store. The reload runs
     * on the events thread, after whatever reload is already running there: run beside it, a re-sync
     * that read the data just before this write could store its older copy last, and the write's own
     * message is no longer news, so the node kept the old bans (a ban written right after Redis came
     * back was not enforced on the node that wrote it).
     */
    private void seeOwnWrite(StateChange kind) {
        if (Thread.currentThread() == eventsThread) {
            notifyListeners(kind); // a listener or re-sync hook that writes
            return;
        }
        try {
            events.submit(() -> notifyListeners(kind)).get(settings.timeout().toMillis() * 4 + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.log(Level.WARNING, "This node could not reload " + kind + " after its own write: " + e);
        }
    }

    private <T> List<T> readPart(String what, String hash, Class<T> type, Comparator<T> order,
                                 Function<LocalSnapshot, List<T>> part,
                                 java.util.function.BiFunction<LocalSnapshot, List<T>, LocalSnapshot> with) {
        if (link.up()) {
            try {
                Map<String, String> all = link.call(what, c -> c.<String, String>getMap(hash, CODEC).readAllMapAsync());
                List<T> list = all.values().stream().map(v -> parse(v, type)).sorted(order).toList();
                remember(s -> with.apply(s, list));
                return list;
            } catch (StateException e) {
                LOG.fine(() -> what + " from the local snapshot: " + e.getMessage());
            }
        }
        return part.apply(snapshot);
    }

    private synchronized void remember(UnaryOperator<LocalSnapshot> change) {
        LocalSnapshot next = change.apply(snapshot);
        if (!next.equals(snapshot)) {
            snapshot = next;
            next.write(settings.snapshotFile());
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StateException("Unreadable " + type.getSimpleName() + " in Redis: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new StateException("Cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        link.close();
        events.shutdownNow();
    }
}
