package org.atrium.gateway.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * What makes the embedded audit chain tamper-evident against someone who can write the database
 * file: a key kept apart from the database ({@code <data-dir>/audit.key}, owner-only) with which new
 * entries are chained by HMAC-SHA256, and a checkpoint of the head ({@code <data-dir>/audit.head}:
 * the sequence and hash of the last entry, and the first keyed sequence), rewritten after every
 * append and logged. A cut tail no longer reaches the checkpointed head; a chain recomputed
 * without the key fails the HMAC or is plain where the checkpoint says it is keyed.
 */
public final class AuditSeal {
    private static final Logger LOG = Logger.getLogger(AuditSeal.class.getName());
    public static final String KEY_FILE = "audit.key";
    public static final String HEAD_FILE = "audit.head";

    /** The checkpointed head: {@code keyedSince} is the first entry chained with the key. */
    public record Head(long keyedSince, long seq, String hash) {
    }

    private final byte[] key;
    private final Path headFile;

    private AuditSeal(byte[] key, Path headFile) {
        this.key = key;
        this.headFile = headFile;
    }

    /** The data dir's seal, creating the key on first use (what the gateway and the offline CLI write with). */
    public static AuditSeal create(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path f = dataDir.resolve(KEY_FILE);
            if (!Files.exists(f)) {
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                try {
                    Files.writeString(f, HexFormat.of().formatHex(raw) + "\n", StandardCharsets.US_ASCII,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
            return existing(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the audit key in " + dataDir, e);
        }
    }

    /** The data dir's seal if its key exists and is readable, else null (nothing keyed can be checked). */
    public static AuditSeal existing(Path dataDir) {
        Path f = dataDir.resolve(KEY_FILE);
        try {
            byte[] key = HexFormat.of().parseHex(Files.readString(f, StandardCharsets.US_ASCII).strip());
            return key.length >= 32 ? new AuditSeal(key, dataDir.resolve(HEAD_FILE)) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    byte[] key() {
        return key.clone();
    }

    /** The checkpoint, or null when none was written yet. */
    public Head head() {
        try {
            String[] p = Files.readString(headFile, StandardCharsets.US_ASCII).strip().split(" ");
            return new Head(Long.parseLong(p[0]), Long.parseLong(p[1]), p[2]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Records {@code e} as the head (atomically) and logs it, so a later cut shows against either. */
    void checkpoint(org.atrium.model.AuditEntry e) {
        Head before = head();
        long keyedSince = before != null ? before.keyedSince() : e.seq();
        Path tmp = headFile.resolveSibling(HEAD_FILE + ".tmp");
        try {
            Files.writeString(tmp, keyedSince + " " + e.seq() + " " + e.hash() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            try {
                Files.move(tmp, headFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException noAtomic) {
                Files.move(tmp, headFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            LOG.warning("Cannot write the audit checkpoint " + headFile + ": " + ex.getMessage());
        }
        LOG.info(() -> "Audit head: seq " + e.seq() + " hash " + e.hash());
    }
}
