package org.atrium.gateway.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.model.AlertInfo;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.Json;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;

/**
 * The embedded store: one SQLite database in WAL mode in the data dir. Every write is one
 * transaction committed before the method returns; with {@code synchronous=FULL} (the default)
 * it also survives power loss, with {@code NORMAL} a process crash. One connection serialises
 * writers, which SQLite does anyway; reads are rare (the request path reads {@link StateView}).
 */
public final class SqliteStateStore implements StateStore {
    private static final Logger LOG = Logger.getLogger(SqliteStateStore.class.getName());
    private static final ObjectMapper JSON = Json.mapper();

    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final java.util.concurrent.ScheduledExecutorService watcher;
    private volatile long dataVersion;

    private volatile AuditSeal seal;

    /** Chains new audit entries with the seal's key and checkpoints the head (see {@link AuditSeal}). */
    public SqliteStateStore seal(AuditSeal seal) {
        this.seal = seal;
        return this;
    }

    /** The seal new entries are chained with, or null. */
    public AuditSeal seal() {
        return seal;
    }

    public SqliteStateStore(Path file, boolean fullSync, Clock clock) {
        this.clock = clock;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + (fullSync ? "FULL" : "NORMAL"));
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, json TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS routes (id TEXT PRIMARY KEY, json TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS bans (type TEXT NOT NULL, target TEXT NOT NULL, json TEXT NOT NULL,"
                        + " expires_at INTEGER, PRIMARY KEY (type, target))");
                s.execute("CREATE TABLE IF NOT EXISTS tokens (jti TEXT PRIMARY KEY, json TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS usage (day TEXT NOT NULL, tenant TEXT NOT NULL, user TEXT NOT NULL,"
                        + " route TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,"
                        + " prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, gpu_ms INTEGER NOT NULL,"
                        + " PRIMARY KEY (day, tenant, user, route))");
                s.execute("CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT,"
                        + " address TEXT, action TEXT, target TEXT, before TEXT, after TEXT, prev_hash TEXT NOT NULL,"
                        + " hash TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS alerts (id TEXT NOT NULL, fired_at INTEGER NOT NULL,"
                        + " resolved_at INTEGER, json TEXT NOT NULL, PRIMARY KEY (id, fired_at))");
                s.execute("CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (fired_at)");
            }
            db.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StateException("Cannot open the embedded database " + file + ": " + e.getMessage(), e);
        }
        this.dataVersion = dataVersion();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-db-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::checkExternalWrites, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The operator CLI may write to the data dir while the gateway runs (for example when it
     * started before the gateway's listener was up). SQLite's {@code data_version} changes when
     * another connection commits; then every listener reloads, so such writes apply within a second.
     */
    private void checkExternalWrites() {
        try {
            long v = dataVersion();
            if (v != dataVersion) {
                dataVersion = v;
                for (StateChange c : StateChange.values()) {
                    notifyListeners(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "data_version check failed", e);
        }
    }

    private long dataVersion() {
        lock.lock();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StateException("Cannot read data_version: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    // ---- tenants

    @Override
    public List<TenantSpec> tenants() {
        return readAll("SELECT json FROM tenants ORDER BY id", TenantSpec.class);
    }

    @Override
    public Optional<TenantSpec> tenant(String id) {
        return readAll("SELECT json FROM tenants WHERE id = ?", TenantSpec.class, id).stream().findFirst();
    }

    @Override
    public void putTenant(TenantSpec tenant) {
        write(StateChange.TENANTS, "INSERT OR REPLACE INTO tenants (id, json) VALUES (?, ?)", tenant.id(), json(tenant));
    }

    @Override
    public boolean deleteTenant(String id) {
        return write(StateChange.TENANTS, "DELETE FROM tenants WHERE id = ?", id) > 0;
    }

    // ---- routes

    @Override
    public List<RouteSpec> routes() {
        return readAll("SELECT json FROM routes ORDER BY id", RouteSpec.class);
    }

    @Override
    public void putRoute(RouteSpec route) {
        write(StateChange.ROUTES, "INSERT OR REPLACE INTO routes (id, json) VALUES (?, ?)", route.id(), json(route));
    }

    @Override
    public boolean deleteRoute(String id) {
        return write(StateChange.ROUTES, "DELETE FROM routes WHERE id = ?", id) > 0;
    }

    // ---- bans

    @Override
    public List<Ban> bans() {
        // Expired bans are purged lazily here; readers still check activeAt() for exactness.
        write(null, "DELETE FROM bans WHERE expires_at IS NOT NULL AND expires_at <= ?", clock.millis());
        return readAll("SELECT json FROM bans ORDER BY type, target", Ban.class);
    }

    @Override
    public void putBan(Ban ban) {
        write(StateChange.BANS, "INSERT OR REPLACE INTO bans (type, target, json, expires_at) VALUES (?, ?, ?, ?)",
                ban.type().wire(), ban.target(), json(ban), ban.expiresAt() == null ? null : ban.expiresAt().toEpochMilli());
    }

    @Override
    public boolean deleteBan(BanType type, String target) {
        return write(StateChange.BANS, "DELETE FROM bans WHERE type = ? AND target = ?", type.wire(), target) > 0;
    }

    // ---- tokens

    @Override
    public List<TokenInfo> tokens() {
        return readAll("SELECT json FROM tokens ORDER BY jti", TokenInfo.class);
    }

    @Override
    public void registerToken(TokenInfo token) {
        write(StateChange.TOKENS, "INSERT OR REPLACE INTO tokens (jti, json) VALUES (?, ?)", token.jti(), json(token));
    }

    @Override
    public boolean revokeToken(String jti, Instant at) {
        lock.lock();
        try {
            Optional<TokenInfo> existing = readAll("SELECT json FROM tokens WHERE jti = ?", TokenInfo.class, jti)
                    .stream().findFirst();
            TokenInfo revoked = existing.map(t -> t.revoked() ? t : new TokenInfo(t.jti(), t.tenant(), t.user(),
                            t.allowedTasks(), t.role(), t.issuedAt(), t.expiresAt(), at, t.issuedBy())).orElse(null);
            if (revoked == null) {
                return false;
            }
            registerToken(revoked);
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- usage

    @Override
    public void addUsage(List<UsageDelta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO usage (day, tenant, user, route, requests, errors, prompt_tokens, completion_tokens, gpu_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, tenant, user, route) DO UPDATE SET"
                        + " requests = requests + excluded.requests, errors = errors + excluded.errors,"
                        + " prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
                        + " completion_tokens = completion_tokens + excluded.completion_tokens,"
                        + " gpu_ms = gpu_ms + excluded.gpu_ms")) {
            db.setAutoCommit(false);
            for (UsageDelta d : deltas) {
                ps.setString(1, d.day().toString());
                ps.setString(2, d.tenant());
                ps.setString(3, d.user());
                ps.setString(4, d.route());
                ps.setLong(5, d.requests());
                ps.setLong(6, d.errors());
                ps.setLong(7, d.promptTokens());
                ps.setLong(8, d.completionTokens());
                ps.setLong(9, d.gpuMillis());
                ps.addBatch();
            }
            ps.executeBatch();
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new StateException("Cannot record usage: " + e.getMessage(), e);
        } finally {
            autoCommit();
            lock.unlock();
        }
    }

    @Override
    public List<UsageRow> usage(LocalDate from, LocalDate to, String tenant) {
        String sql = "SELECT day, tenant, user, route, requests, errors, prompt_tokens, completion_tokens, gpu_ms"
                + " FROM usage WHERE day >= ? AND day <= ?" + (tenant == null ? "" : " AND tenant = ?")
                + " ORDER BY day, tenant, user, route";
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, from.toString());
            ps.setString(2, to.toString());
            if (tenant != null) {
                ps.setString(3, tenant);
            }
            List<UsageRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UsageRow(LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                            rs.getLong(9) / 1000.0));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StateException("Cannot read usage: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    // ---- audit

    @Override
    public AuditEntry appendAudit(AuditRecord record) {
        lock.lock();
        try {
            long seq = 0;
            String prev = AuditChain.GENESIS;
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    prev = rs.getString(2);
                }
            }
            AuditEntry e = AuditChain.next(seq, clock.instant(), record, prev, seal);
            write(null, "INSERT INTO audit (seq, at, actor, address, action, target, before, after, prev_hash, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.seq(), e.at().toString(), e.actor(), e.address(), e.action(), e.target(), e.before(), e.after(),
                    e.prevHash(), e.hash());
            if (seal != null) {
                seal.checkpoint(e);
            }
            return e;
        } catch (SQLException ex) {
            throw new StateException("Cannot append to the audit trail: " + ex.getMessage(), ex);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, String actor) {
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT seq, at, actor, address, action, target, before, after, prev_hash, hash FROM audit ORDER BY seq");
             ResultSet rs = ps.executeQuery()) {
            List<AuditEntry> out = new ArrayList<>();
            while (rs.next()) {
                AuditEntry e = new AuditEntry(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10));
                if ((from == null || !e.at().isBefore(from)) && (to == null || e.at().isBefore(to))
                        && (actor == null || actor.equals(e.actor()))) {
                    out.add(e);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("Cannot read the audit trail: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    // ---- alerts

    /** Resolved occurrences kept at most; older ones are pruned when a new one is written. */
    static final int ALERT_HISTORY = 10_000;

    @Override
    public void putAlert(AlertInfo alert) {
        write(null, "INSERT OR REPLACE INTO alerts (id, fired_at, resolved_at, json) VALUES (?, ?, ?, ?)", alert.id(),
                alert.firedAt().toEpochMilli(), alert.resolvedAt() == null ? null : alert.resolvedAt().toEpochMilli(),
                json(alert));
        if (alert.resolvedAt() != null) {
            write(null, "DELETE FROM alerts WHERE resolved_at IS NOT NULL AND rowid IN (SELECT rowid FROM alerts"
                    + " WHERE resolved_at IS NOT NULL ORDER BY fired_at DESC LIMIT -1 OFFSET ?)", ALERT_HISTORY);
        }
    }

    @Override
    public List<AlertInfo> activeAlerts() {
        return readAll("SELECT json FROM alerts WHERE resolved_at IS NULL ORDER BY fired_at DESC, id", AlertInfo.class);
    }

    @Override
    public List<AlertInfo> alerts(int limit) {
        return readAll("SELECT json FROM alerts ORDER BY fired_at DESC, id LIMIT ?", AlertInfo.class,
                Math.max(0, limit));
    }

    /** For tests and {@code audit verify}: runs raw SQL (e.g. to tamper with an entry). */
    void execute(String sql) {
        write(null, sql);
    }

    // ---- plumbing

    @Override
    public void onChange(Consumer<StateChange> listener) {
        listeners.add(listener);
    }

    private int write(StateChange change, String sql, Object... args) {
        int n;
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            n = ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("Cannot write state: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (change != null) {
            notifyListeners(change);
        }
        return n;
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

    private <T> List<T> readAll(String sql, Class<T> type, Object... args) {
        lock.lock();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JSON.readValue(rs.getString(1), type));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new StateException("Cannot read state: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new StateException("Cannot serialise " + o.getClass().getSimpleName(), e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the original error is what matters
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // next statement will report a broken connection
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        lock.lock();
        try {
            db.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Closing the embedded database failed", e);
        } finally {
            lock.unlock();
        }
    }
}
