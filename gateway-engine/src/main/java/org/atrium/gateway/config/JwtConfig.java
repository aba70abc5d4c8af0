package org.atrium.gateway.config;

import java.util.List;
import java.util.Set;
import org.atrium.model.ValidationException;

/**
 * Token verification. Algorithms are pinned: a token whose header names any other is refused.
 *
 * @param algorithms         accepted algorithms: HS256 (secret from the data dir or env JWT_SECRET),
 *                           RS256 and/or ES256 (public key PEM in {@code public_key_file})
 * @param publicKeyFile      PEM public key for RS256/ES256
 * @param maxLifetimeSeconds tokens whose {@code exp - iat} exceeds this are refused
 * @param clockSkewSeconds   tolerance for {@code exp}/{@code iat}/{@code nbf}, at most 60
 */
public record JwtConfig(List<String> algorithms, String publicKeyFile, Long maxLifetimeSeconds, Integer clockSkewSeconds) {
    private static final Set<String> SUPPORTED = Set.of("HS256", "RS256", "ES256");

    public JwtConfig {
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("HS256") : List.copyOf(algorithms);
        for (String a : algorithms) {
            ValidationException.require(SUPPORTED.contains(a), "jwt.algorithms", "supported: HS256, RS256, ES256");
        }
        ValidationException.require(!(algorithms.contains("RS256") || algorithms.contains("ES256")) || publicKeyFile != null,
                "jwt.public_key_file", "is required for RS256/ES256");
        ValidationException.require(!(algorithms.contains("RS256") && algorithms.contains("ES256")),
                "jwt.algorithms", "RS256 and ES256 need different keys; pick one");
        maxLifetimeSeconds = maxLifetimeSeconds == null ? 90L * 86_400 : maxLifetimeSeconds;
        ValidationException.require(maxLifetimeSeconds >= 60, "jwt.max_lifetime_seconds", "must be at least 60");
        clockSkewSeconds = clockSkewSeconds == null ? 60 : clockSkewSeconds;
        ValidationException.require(clockSkewSeconds >= 0 && clockSkewSeconds <= 60, "jwt.clock_skew_seconds",
                "must be 0-60");
    }

    static JwtConfig defaults() {
        return new JwtConfig(null, null, null, null);
    }
}
