package org.atrium.gateway.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    public static String hash(AuditEntry e) {
        String canonical = String.join("\u001f",
                Long.toString(e.seq()), String.valueOf(e.at()), n(e.actor()), n(e.address()), n(e.action()),
                n(e.target()), n(e.before()), n(e.after()), n(e.prevHash()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String n(String s) {
        return s == null ? "\u0000" : s;
    }

    /** Builds the next entry of a chain whose last entry had hash {@code prevHash}. */
    public static AuditEntry next(long seq, java.time.Instant at, AuditRecord r, String prevHash) {
        AuditEntry unsigned = new AuditEntry(seq, at, r.actor(), r.address(), r.action(), r.target(), r.before(),
                r.after(), prevHash, null);
        return new AuditEntry(seq, at, r.actor(), r.address(), r.action(), r.target(), r.before(), r.after(),
                prevHash, hash(unsigned));
    }

    /**
     * Checks a whole chain in sequence order.
     *
     * @return the first broken entry's description, or empty when the chain is intact
     */
    public static Optional<String> firstBrokenLink(List<AuditEntry> entries) {
        String prev = GENESIS;
        long expectedSeq = -1;
        for (AuditEntry e : entries) {
            if (expectedSeq >= 0 && e.seq() != expectedSeq) {
                return Optional.of("entry " + expectedSeq + " is missing (next is " + e.seq() + ")");
            }
            if (!Objects.equals(prev, e.prevHash())) {
                return Optional.of("entry " + e.seq() + " does not follow the previous entry (prevHash mismatch)");
            }
            AuditEntry unsigned = new AuditEntry(e.seq(), e.at(), e.actor(), e.address(), e.action(), e.target(),
                    e.before(), e.after(), e.prevHash(), null);
            if (!hash(unsigned).equals(e.hash())) {
                return Optional.of("entry " + e.seq() + " was modified (hash mismatch)");
            }
            prev = e.hash();
            expectedSeq = e.seq() + 1;
        }
        return Optional.empty();
    }
}
