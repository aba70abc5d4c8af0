package org.atrium.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesOwnerOnlySecrets() throws Exception {
        Path data = dir.resolve("data");
        Secrets s = Secrets.load(data, null, false);
        assertThat(s.adminToken()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(s.jwtSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin.token")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("jwt.secret")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        // a restart reads the same secrets
        Secrets again = Secrets.load(data, null, false);
        assertThat(again.adminToken()).isEqualTo(s.adminToken());
        assertThat(again.jwtSecret()).isEqualTo(s.jwtSecret());
    }

    @Test
    void environmentSecretWins() {
        Secrets s = Secrets.load(dir, "env-secret-0123456789-0123456789-abcdefgh", false);
        assertThat(new String(s.jwtSecret())).isEqualTo("env-secret-0123456789-0123456789-abcdefgh");
        assertThat(s.jwtSecretSource()).contains("JWT_SECRET");
    }

    @Test
    void weakAndPlaceholderSecretsStopStartUp() {
        assertThatThrownBy(() -> Secrets.load(dir, "your-256-bit-secret-key-change-in-production", false))
                .isInstanceOf(Secrets.WeakSecretException.class).hasMessageContaining("placeholder");
        assertThatThrownBy(() -> Secrets.load(dir, "short-secret", false))
                .isInstanceOf(Secrets.WeakSecretException.class).hasMessageContaining("shorter than 32");
        assertThatThrownBy(() -> Secrets.load(dir, "a".repeat(40), false))
                .isInstanceOf(Secrets.WeakSecretException.class).hasMessageContaining("repetitive");
    }
}
