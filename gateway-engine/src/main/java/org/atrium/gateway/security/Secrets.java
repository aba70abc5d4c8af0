package org.atrium.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The gateway's secrets in its data dir: {@code jwt.secret} (HS256 key) and {@code admin.token}.
 * Both are created on first start with 256 random bits and owner-only permissions. {@code JWT_SECRET}
 * in the environment takes precedence over the file, as in the reference gateway. A weak or
 * placeholder secret stops start-up: there are no built-in defaults.
 */
public final class Secrets {
    public static final String JWT_SECRET_FILE = "jwt.secret";
    public static final String ADMIN_TOKEN_FILE = "admin.token";
    /** The reference gateway's published placeholder; a deployment that kept it is refused. */
    static final String REFERENCE_PLACEHOLDER = "your-256-bit-secret-key-change-in-production";
    private static final int MIN_SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] jwtSecret;
    private final String adminToken;
    private final String jwtSecretSource;

    private Secrets(byte[] jwtSecret, String jwtSecretSource, String adminToken) {
        this.jwtSecret = jwtSecret;
        this.jwtSecretSource = jwtSecretSource;
        this.adminToken = adminToken;
    }

    /**
     * Loads (creating when absent) the secrets in {@code dataDir}.
     *
     * @param envSecret value of {@code JWT_SECRET}, or null
     * @param groupReadableAdminToken write {@code admin.token} as 0640 so members of the service's
     *                                group (local console users) can read it
     */
    public static Secrets load(Path dataDir, String envSecret, boolean groupReadableAdminToken) {
        try {
            if (!Files.isDirectory(dataDir)) {
                // Created here: owner-only. An existing dir keeps the mode its installer chose.
                Files.createDirectories(dataDir);
                restrict(dataDir, true);
            }
            String secretText;
            String source;
            if (envSecret != null && !envSecret.isEmpty()) {
                secretText = envSecret;
                source = "environment variable JWT_SECRET";
            } else {
                Path f = dataDir.resolve(JWT_SECRET_FILE);
                secretText = readOrCreate(f, false);
                source = f.toString();
            }
            checkStrength(secretText, source);
            String admin = readOrCreate(dataDir.resolve(ADMIN_TOKEN_FILE), groupReadableAdminToken);
            if (admin.length() < 32) {
                throw new WeakSecretException("The admin token in " + dataDir.resolve(ADMIN_TOKEN_FILE)
                        + " is shorter than 32 characters. Delete the file to have a new one generated.");
            }
            return new Secrets(secretText.getBytes(StandardCharsets.UTF_8), source, admin);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare the data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    static void checkStrength(String secret, String source) {
        if (secret.strip().equals(REFERENCE_PLACEHOLDER) || secret.toLowerCase().contains("change-in-production")
                || secret.toLowerCase().contains("changeme")) {
            throw new WeakSecretException("The JWT secret from " + source + " is the published placeholder '"
                    + REFERENCE_PLACEHOLDER + "' (or a variant of it). Set a random secret of at least "
                    + MIN_SECRET_BYTES + " bytes, e.g. `openssl rand -base64 48`.");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new WeakSecretException("The JWT secret from " + source + " is shorter than " + MIN_SECRET_BYTES
                    + " bytes; HS256 needs at least 256 bits. Set a longer random secret, e.g. `openssl rand -base64 48`.");
        }
        if (secret.chars().distinct().count() < 8) {
            throw new WeakSecretException("The JWT secret from " + source + " is too repetitive to be random."
                    + " Set a random secret, e.g. `openssl rand -base64 48`.");
        }
    }

    private static String readOrCreate(Path f, boolean groupReadable) throws IOException {
        if (!Files.exists(f)) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            try {
                Files.writeString(f, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        restrict(f, false);
        if (groupReadable) {
            setPermissions(f, "rw-r-----");
        }
        return Files.readString(f, StandardCharsets.UTF_8).strip();
    }

    private static void restrict(Path p, boolean dir) throws IOException {
        setPermissions(p, dir ? "rwx------" : "rw-------");
    }

    private static void setPermissions(Path p, String perms) throws IOException {
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> want = PosixFilePermissions.fromString(perms);
            if (!Files.getPosixFilePermissions(p).equals(want)) {
                Files.setPosixFilePermissions(p, want);
            }
        }
    }

    public byte[] jwtSecret() {
        return jwtSecret.clone();
    }

    public String jwtSecretSource() {
        return jwtSecretSource;
    }

    public String adminToken() {
        return adminToken;
    }

    /** Refusal to start with a weak or placeholder secret. */
    public static final class WeakSecretException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WeakSecretException(String message) {
            super(message);
        }
    }
}
