package org.atrium.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.Errors;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.atrium.gateway.Caches;
import org.atrium.gateway.config.JwtConfig;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;

/**
 * Verifies bearer tokens: the reference gateway's HS256 tokens and Atrium's own. The signature is
 * checked by helidon-security-jwt against keys pinned per algorithm (never {@code Jwk.NONE_JWK},
 * which would accept {@code alg: none}); before that, header and payload are read strictly here:
 * three segments only (no JWE), the algorithm must be one the configuration allows, remote or
 * embedded keys ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are refused, duplicate claims are
 * refused, and {@code exp} is required with the lifetime capped.
 */
public final class TokenVerifier {
    /** Tokens larger than this are refused before any parsing. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c", "enc", "zip", "crit");
    private static final ObjectMapper STRICT = org.atrium.model.Json.untrusted();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private final Map<String, Jwk> keysByAlg;
    private final JwkKeys keys;
    private final Clock clock;
    private final Duration skew;
    private final Duration maxLifetime;
    private final Predicate<String> revoked;
    private final Cache<String, Principal> verified = Caches.onCallerThread()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    /**
     * @param hmacSecret HS256 key (may be null when HS256 is not configured)
     * @param revoked    tells whether a jti has been revoked (read from memory)
     */
    public TokenVerifier(JwtConfig config, byte[] hmacSecret, Clock clock, Predicate<String> revoked) {
        this.clock = clock;
        this.skew = Duration.ofSeconds(config.clockSkewSeconds());
        this.maxLifetime = Duration.ofSeconds(config.maxLifetimeSeconds());
        this.revoked = revoked;
        Map<String, Jwk> byAlg = new HashMap<>();
        for (String alg : config.algorithms()) {
            byAlg.put(alg, switch (alg) {
                case "HS256" -> hmacKey(hmacSecret);
                case "RS256", "ES256" -> publicKey(alg, Path.of(config.publicKeyFile()));
                default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
            });
        }
        this.keysByAlg = Map.copyOf(byAlg);
        JwkKeys.Builder kb = JwkKeys.builder();
        byAlg.values().forEach(kb::addKey);
        this.keys = kb.build();
    }

    /** Signs nothing; exposed so the token issuer can use the same HS256 key. */
    public static Jwk hmacKey(byte[] secret) {
        if (secret == null) {
            throw new IllegalArgumentException("HS256 needs a secret");
        }
        return JwkOctet.create(Json.createObjectBuilder()
                .add("kty", "oct")
                .add("kid", "atrium-hs256")
                .add("alg", "HS256")
                .add("use", "sig")
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
    }

    private static Jwk publicKey(String alg, Path pem) {
        try {
            String text = Files.readString(pem, StandardCharsets.US_ASCII);
            String body = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            PublicKey key = KeyFactory.getInstance(alg.startsWith("RS") ? "RSA" : "EC")
                    .generatePublic(new X509EncodedKeySpec(der));
            return alg.startsWith("RS")
                    ? JwkRSA.builder().publicKey((RSAPublicKey) key).algorithm(alg).build()
                    : JwkEC.builder().publicKey((ECPublicKey) key).algorithm(alg).build();
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Cannot read the " + alg + " public key from " + pem
                    + " (expected a PEM 'PUBLIC KEY'): " + e.getMessage(), e);
        }
    }

    /**
     * Verifies an {@code Authorization} header value ({@code Bearer } prefix optional, as in the
     * reference gateway).
     */
    public Principal verify(String authorization) throws TokenRejected {
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        if (token.isEmpty()) {
            throw new TokenRejected("empty token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejected("token too large");
        }
        // A token seen before is not parsed and verified again (the profile's hottest path): the
        // cache key is the whole signed token, so only a byte-identical token hits. Expiry and
        // revocation are still checked on every call.
        Principal known = verified.getIfPresent(token);
        if (known != null) {
            if (clock.instant().minus(skew).isAfter(known.expiresAt())) {
                verified.invalidate(token);
                throw new TokenRejected("token expired");
            }
            if (known.jti() != null && revoked.test(known.jti())) {
                throw new TokenRejected("token revoked");
            }
            return known;
        }
        Principal p = verifySigned(token);
        verified.put(token, p);
        return p;
    }

    private Principal verifySigned(String token) throws TokenRejected {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejected(parts.length == 5 ? "encrypted tokens (JWE) are not accepted" : "malformed token");
        }
        if (parts[2].isEmpty()) {
            throw new TokenRejected("unsigned token");
        }
        JsonNode header = segment(parts[0], "header");
        JsonNode payload = segment(parts[1], "payload");
        String alg = header.path("alg").asText("");
        Jwk key = keysByAlg.get(alg);
        if (key == null) {
            throw new TokenRejected("algorithm '" + printable(alg) + "' is not accepted");
        }
        for (String h : FORBIDDEN_HEADERS) {
            if (header.has(h)) {
                throw new TokenRejected("header '" + h + "' is not accepted");
            }
        }
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw new TokenRejected("malformed token");
        }
        // Verify with the key pinned for the header's algorithm, also when the token names a kid.
        Errors sig = signed.verifySignature(keys, key);
        if (!sig.isValid()) {
            throw new TokenRejected("bad signature");
        }
        Instant now = clock.instant();
        Instant exp = epoch(payload, "exp", true);
        Instant iat = epoch(payload, "iat", false);
        Instant nbf = epoch(payload, "nbf", false);
        if (iat != null && iat.isAfter(now.plus(skew))) {
            throw new TokenRejected("token issued in the future");
        }
        if (nbf != null && nbf.isAfter(now.plus(skew))) {
            throw new TokenRejected("token not valid yet");
        }
        Errors time = JwtValidator.builder().addDefaultTimeValidators(now, skew, false).build().validate(signed.getJwt());
        if (!time.isValid() || now.minus(skew).isAfter(exp)) {
            throw new TokenRejected(now.minus(skew).isAfter(exp) ? "token expired" : "token not valid yet");
        }
        Instant start = iat != null ? iat : now;
        if (Duration.between(start, exp).compareTo(maxLifetime.plus(skew)) > 0) {
            throw new TokenRejected("token lifetime exceeds the configured maximum");
        }
        String sub = text(payload, "sub");
        String user = text(payload, "user_id");
        if (user == null) {
            user = sub;
        }
        if (user == null || user.isBlank()) {
            throw new TokenRejected("token names no user (sub or user_id)");
        }
        String tenant = text(payload, "tenant");
        if (tenant == null) {
            tenant = text(payload, "tenant_id");
        }
        if (tenant == null || tenant.isBlank()) {
            tenant = TenantSpec.DEFAULT_ID;
        }
        if (!TenantSpec.ID.matcher(tenant).matches()) {
            throw new TokenRejected("invalid tenant claim");
        }
        List<String> tasks = tasks(payload);
        String role = text(payload, "role");
        String jti = text(payload, "jti");
        if (jti != null && revoked.test(jti)) {
            throw new TokenRejected("token revoked");
        }
        Priority priority = null;
        String p = text(payload, "priority");
        if (p != null) {
            try {
                priority = Priority.parse(p);
            } catch (IllegalArgumentException e) {
                throw new TokenRejected("invalid priority claim");
            }
        }
        return new Principal(user, tenant, tasks, role == null ? "user" : role, jti, iat, exp, priority);
    }

    private static JsonNode segment(String b64, String what) throws TokenRejected {
        try {
            JsonNode n = STRICT.readTree(B64.decode(b64));
            if (n == null || !n.isObject()) {
                throw new TokenRejected("malformed token " + what);
            }
            return n;
        } catch (IOException | IllegalArgumentException e) {
            String msg = e.getMessage() != null && e.getMessage().contains("Duplicate field")
                    ? "duplicate claim in token " + what : "malformed token " + what;
            throw new TokenRejected(msg);
        }
    }

    private static Instant epoch(JsonNode payload, String claim, boolean required) throws TokenRejected {
        JsonNode n = payload.get(claim);
        if (n == null || n.isNull()) {
            if (required) {
                throw new TokenRejected("token has no '" + claim + "' claim");
            }
            return null;
        }
        if (!n.isNumber()) {
            throw new TokenRejected("claim '" + claim + "' must be a number");
        }
        double v = n.asDouble();
        if (v < 0 || v > 253_402_300_799d) {
            throw new TokenRejected("claim '" + claim + "' is out of range");
        }
        return Instant.ofEpochSecond((long) v);
    }

    private static String text(JsonNode payload, String claim) throws TokenRejected {
        JsonNode n = payload.get(claim);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new TokenRejected("claim '" + claim + "' must be a string");
        }
        String s = n.asText();
        if (s.length() > 256 || s.chars().anyMatch(Character::isISOControl)) {
            throw new TokenRejected("claim '" + claim + "' contains control characters or is too long");
        }
        return s;
    }

    /** {@code allowed_tasks} (list), else {@code scope} (list or space-separated string); none: no task. */
    private static List<String> tasks(JsonNode payload) throws TokenRejected {
        JsonNode n = payload.has("allowed_tasks") ? payload.get("allowed_tasks") : payload.get("scope");
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            for (String s : n.asText().trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        } else if (n.isArray()) {
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                JsonNode e = it.next();
                if (!e.isTextual() || e.asText().chars().anyMatch(Character::isISOControl)) {
                    throw new TokenRejected("allowed_tasks must be a list of strings");
                }
                out.add(e.asText());
            }
        } else {
            throw new TokenRejected("allowed_tasks must be a list of strings");
        }
        if (out.size() > 1000) {
            throw new TokenRejected("too many allowed tasks");
        }
        return out;
    }

    private static String printable(String s) {
        return s.length() > 20 || s.chars().anyMatch(c -> c < 32 || c > 126) ? "?" : s;
    }
}
