package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atrium.model.ErrorCode;
import org.atrium.model.Json;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;

/**
 * Mints HS256 tokens with the claims {@code TokenVerifier} and the reference gateway read:
 * {@code sub}, {@code user_id}, {@code tenant}, {@code allowed_tasks}, {@code role}, {@code iat},
 * {@code exp}, {@code jti} (128 random bits) and optionally {@code priority}. The lifetime is capped
 * by {@code jwt.max_lifetime_seconds}.
 */
public final class TokenMinter {
    /** Lifetime when the request names none: a working day, like a shift's session. */
    public static final long DEFAULT_TTL_SECONDS = 86_400;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] secret;
    private final long maxLifetimeSeconds;
    private final Clock clock;

    /** @param secret the HS256 key, or null when the gateway does not accept HS256 (minting refused) */
    public TokenMinter(byte[] secret, long maxLifetimeSeconds, Clock clock) {
        this.secret = secret == null ? null : secret.clone();
        this.maxLifetimeSeconds = maxLifetimeSeconds;
        this.clock = clock;
    }

    /** A minted token and what the registry keeps about it. */
    public record Minted(TokenIssued issued, TokenInfo info) {
    }

    public Minted mint(TokenIssueRequest r, String issuedBy) {
        if (secret == null) {
            throw new AdminException(ErrorCode.CONFLICT,
                    "This gateway does not accept HS256 tokens (jwt.algorithms), so it cannot issue tokens");
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        long ttl = Math.min(r.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : r.ttlSeconds(), maxLifetimeSeconds);
        Instant exp = now.plusSeconds(ttl);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        // Hex, not base64url: a jti starting with "-" would read as an option to `token revoke`.
        String jti = java.util.HexFormat.of().formatHex(id);
        ObjectNode claims = Json.mapper().createObjectNode();
        claims.put("sub", r.user());
        claims.put("user_id", r.user());
        claims.put("tenant", r.tenant());
        claims.putArray("allowed_tasks").addAll(r.allowedTasks().stream()
                .map(claims::textNode).toList());
        claims.put("role", r.role());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        claims.put("jti", jti);
        if (r.priority() != null) {
            claims.put("priority", r.priority().wire());
        }
        String token = sign(claims);
        return new Minted(new TokenIssued(token, jti, exp),
                new TokenInfo(jti, r.tenant(), r.user(), r.allowedTasks(), r.role(), now, exp, null, issuedBy));
    }

    private String sign(ObjectNode claims) {
        try {
            String input = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + B64.encodeToString(Json.mapper().writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }
}
