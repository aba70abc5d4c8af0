package org.atrium.gateway.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atrium.model.AuditEntry;

/**
 * The audit trail's hash chain: each entry's hash is SHA-256 over its fields and the previous
 * entry's hash, so an edited, inserted or deleted entry breaks every link after it.
 */
public final class AuditChain {
    /** The {@code prevHash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** Prefix of a keyed entry's hash: HMAC-SHA256 with the data dir's audit key ({@link AuditSeal}). */
    public static final String KEYED = "hmac-sha256:";

    public static String hash(AuditEntry e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical(e)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The keyed hash of {@code e}. */
    static String hmac(AuditEntry e, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return KEYED + HexFormat.of().formatHex(mac.doFinal(canonical(e)));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] canonical(AuditEntry e) {
        return String.join("\u001f",
                Long.toString(e.seq()), String.valueOf(e.at()), n(e.actor()), n(e.address()), n(e.action()),
                n(e.target()), n(e.before()), n(e.after()), n(e.prevHash())).getBytes(StandardCharsets.UTF_8);
    }

    private static String n(String s) {
        return s == null ? "\u0000" : s;
    }

    /** Builds the next entry of a chain whose last entry had hash {@code prevHash}. */
    public static AuditEntry next(long seq, java.time.Instant at, AuditRecord r, String prevHash) {
        return next(seq, at, r, prevHash, null);
    }

    /** As above, chained with HMAC under {@code seal}'s key when a seal is given. */
    static AuditEntry next(long seq, java.time.Instant at, AuditRecord r, String prevHash, AuditSeal seal) {
        AuditEntry unsigned = new AuditEntry(seq, at, r.actor(), r.address(), r.action(), r.target(), r.before(),
                r.after(), prevHash, null);
        return new AuditEntry(seq, at, r.actor(), r.address(), r.action(), r.target(), r.before(), r.after(),
                prevHash, seal == null ? hash(unsigned) : hmac(unsigned, seal.key()));
    }

    /**
     * Checks a whole chain against the data dir's seal: every link, keyed entries with the key,
     * no plain entry where the checkpoint says the chain is keyed, and the checkpointed head still
     * there with its hash (a cut tail or a recomputed chain shows). Without a seal (no key readable),
     * keyed entries cannot be checked and are reported as such.
     */
    public static Optional<String> firstBrokenLink(List<AuditEntry> entries, AuditSeal seal) {
        AuditSeal.Head head = seal == null ? null : seal.head();
        byte[] key = seal == null ? null : seal.key();
        String prev = GENESIS;
        long expectedSeq = -1;
        AuditEntry atHead = null;
        for (AuditEntry e : entries) {
            if (expectedSeq >= 0 && e.seq() != expectedSeq) {
                return Optional.of("entry " + expectedSeq + " is missing (next is " + e.seq() + ")");
            }
            if (!Objects.equals(prev, e.prevHash())) {
                return Optional.of("entry " + e.seq() + " does not follow the previous entry (prevHash mismatch)");
            }
            AuditEntry unsigned = new AuditEntry(e.seq(), e.at(), e.actor(), e.address(), e.action(), e.target(),
                    e.before(), e.after(), e.prevHash(), null);
            boolean keyed = e.hash() != null && e.hash().startsWith(KEYED);
            if (keyed && key == null) {
                return Optional.of("entry " + e.seq() + " is keyed and the audit key is not readable here"
                        + " (run as the gateway's user with --data-dir)");
            }
            if (!keyed && head != null && e.seq() >= head.keyedSince()) {
                return Optional.of("entry " + e.seq() + " is not keyed although the chain is keyed since entry "
                        + head.keyedSince() + " (recomputed without the key)");
            }
            if (!(keyed ? hmac(unsigned, key) : hash(unsigned)).equals(e.hash())) {
                return Optional.of("entry " + e.seq() + " was modified (hash mismatch)");
            }
            if (head != null && e.seq() == head.seq()) {
                atHead = e;
            }
            prev = e.hash();
            expectedSeq = e.seq() + 1;
        }
        if (head != null) {
            if (atHead == null) {
                return Optional.of("entries up to " + head.seq() + " (the checkpointed head) are missing: the tail was cut"
                        + " (last entry " + (expectedSeq - 1) + ")");
            }
            if (!atHead.hash().equals(head.hash())) {
                return Optional.of("entry " + head.seq() + " differs from the checkpointed head (chain rewritten)");
            }
        }
        return Optional.empty();
    }

    /** Checks a whole chain without a seal (a store that does not key its chain). */
    public static Optional<String> firstBrokenLink(List<AuditEntry> entries) {
        return firstBrokenLink(entries, null);
    }
}
