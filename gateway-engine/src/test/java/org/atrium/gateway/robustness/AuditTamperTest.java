package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.atrium.gateway.GatewayServer;
import org.atrium.gateway.cli.CliRunner;
import org.atrium.gateway.state.AuditChain;
import org.atrium.gateway.state.AuditRecord;
import org.atrium.gateway.state.AuditSeal;
import org.atrium.gateway.state.SqliteStateStore;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 10, against someone who can write the database file: {@code audit verify} detects
 * a cut tail and a chain recomputed without the key (plain SHA-256 or another key), and an audit
 * chain written before the key existed still verifies, keyed from the next entry on.
 */
class AuditTamperTest {
    @TempDir
    Path dir;

    @Test
    void aCutTailOrARecomputedChainIsDetected() throws Exception {
        Path data = dir.resolve("data");
        try (GatewayServer g = GatewayServer.start(new GatewayServer.Options(null, data,
                Map.of("JWT_SECRET", TestGateway.SECRET), null, 0, 0))) {
            for (String t : new String[] {"t1", "t2", "t3", "t4"}) {
                assertThat(CliRunner.run("tenant", "add", t, "--gateway", "http://127.0.0.1:" + g.adminPort(),
                        "--data-dir", data.toString()).exit()).isZero();
            }
        }
        assertThat(Files.readString(data.resolve(AuditSeal.HEAD_FILE))).startsWith("0 3 " + AuditChain.KEYED);
        if (Files.getFileStore(data).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve(AuditSeal.KEY_FILE)))).isEqualTo("rw-------");
        }
        Path db = data.resolve("atrium.db");
        Path pristine = dir.resolve("pristine.db");
        Files.copy(db, pristine);
        assertThat(verify(data).exit()).isZero();

        // the last entry deleted: every remaining link is fine, the checkpoint shows the cut
        sql(db, "DELETE FROM audit WHERE seq = 3");
        CliRunner.Run cut = verify(data);
        assertThat(cut.exit()).isEqualTo(4);
        assertThat(cut.out()).contains("tail was cut");

        // an entry edited and the whole chain recomputed with plain SHA-256
        Files.copy(pristine, db, StandardCopyOption.REPLACE_EXISTING);
        rechain(db, null);
        CliRunner.Run plain = verify(data);
        assertThat(plain.exit()).isEqualTo(4);
        assertThat(plain.out()).contains("not keyed");

        // ... or with HMAC under a key of the attacker's
        Files.copy(pristine, db, StandardCopyOption.REPLACE_EXISTING);
        rechain(db, new byte[32]);
        CliRunner.Run otherKey = verify(data);
        assertThat(otherKey.exit()).isEqualTo(4);
        assertThat(otherKey.out()).contains("entry 0 was modified");

        Files.copy(pristine, db, StandardCopyOption.REPLACE_EXISTING);
        assertThat(verify(data).exit()).isZero();
    }

    @Test
    void aChainWrittenBeforeTheKeyStillVerifiesAndIsKeyedFromThenOn() throws Exception {
        Path data = Files.createDirectories(dir.resolve("old"));
        try (SqliteStateStore old = new SqliteStateStore(data.resolve("atrium.db"), true, Clock.systemUTC())) {
            old.appendAudit(new AuditRecord("admin-token", "127.0.0.1", "tenant.create", "a", null, "{}"));
            old.appendAudit(new AuditRecord("admin-token", "127.0.0.1", "tenant.create", "b", null, "{}"));
        }
        try (SqliteStateStore sealed = new SqliteStateStore(data.resolve("atrium.db"), true, Clock.systemUTC())
                .seal(AuditSeal.create(data))) {
            AuditEntry e = sealed.appendAudit(new AuditRecord("admin-token", "127.0.0.1", "tenant.create", "c", null, "{}"));
            assertThat(e.hash()).startsWith(AuditChain.KEYED);
            assertThat(AuditChain.firstBrokenLink(sealed.audit(null, null, null), sealed.seal())).isEmpty();
        }
        assertThat(AuditSeal.existing(data).head().keyedSince()).isEqualTo(2);
        assertThat(verify(data).exit()).isZero();
    }

    private static CliRunner.Run verify(Path data) {
        return CliRunner.run("audit", "verify", "--data-dir", data.toString());
    }

    private static void sql(Path db, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    /** Edits entry 1's actor and recomputes every hash: plain SHA-256 ({@code key} null) or HMAC with {@code key}. */
    private static void rechain(Path db, byte[] key) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate("UPDATE audit SET actor = 'someone-else' WHERE seq = 1");
            java.util.List<AuditEntry> entries = new java.util.ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT seq, at, actor, address, action, target, before, after FROM audit ORDER BY seq")) {
                while (rs.next()) {
                    entries.add(new AuditEntry(rs.getLong(1), java.time.Instant.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), null, null));
                }
            }
            String prev = AuditChain.GENESIS;
            for (AuditEntry e : entries) {
                AuditEntry unsigned = new AuditEntry(e.seq(), e.at(), e.actor(), e.address(), e.action(), e.target(),
                        e.before(), e.after(), prev, null);
                String hash = key == null ? AuditChain.hash(unsigned) : hmac(unsigned, key);
                try (PreparedStatement p = c.prepareStatement("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                    p.setString(1, prev);
                    p.setString(2, hash);
                    p.setLong(3, e.seq());
                    p.executeUpdate();
                }
                prev = hash;
            }
        }
    }

    private static String hmac(AuditEntry e, byte[] key) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String canonical = String.join("\u001f", Long.toString(e.seq()), String.valueOf(e.at()), n(e.actor()), n(e.address()),
                n(e.action()), n(e.target()), n(e.before()), n(e.after()), n(e.prevHash()));
        return AuditChain.KEYED + java.util.HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String n(String s) {
        return s == null ? "\u0000" : s;
    }
}
