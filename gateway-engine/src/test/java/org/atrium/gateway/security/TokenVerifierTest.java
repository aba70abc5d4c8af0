package org.atrium.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.atrium.gateway.config.JwtConfig;
import org.atrium.gateway.testing.Tokens;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";
    static final long NOW = 1_800_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    final TokenVerifier verifier = new TokenVerifier(new JwtConfig(null, null, 86_400L, 60),
            SECRET.getBytes(StandardCharsets.UTF_8), CLOCK, Set.of("revoked-jti")::contains);

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String payload(String extra) {
        return "{\"sub\":\"alice\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600) + extra + "}";
    }

    @Test
    void referenceTokenIsAccepted() throws Exception {
        Principal p = verifier.verify("Bearer " + Tokens.referenceUserToken(SECRET, "user_alice", NOW, "task_001", "task_002"));
        assertThat(p.user()).isEqualTo("user_alice");
        assertThat(p.tenant()).isEqualTo("default");
        assertThat(p.allowedTasks()).containsExactly("task_001", "task_002");
        assertThat(p.jti()).isEqualTo("user_alice_" + NOW);
        assertThat(p.role()).isEqualTo("user");
        // the reference also accepted the token without the "Bearer " prefix
        assertThat(verifier.verify(Tokens.referenceUserToken(SECRET, "u", NOW, "*")).mayUse("anything")).isTrue();
    }

    @Test
    void tenantFormsAndScopeSynonym() throws Exception {
        Principal a = verifier.verify(Tokens.hs256(SECRET, payload(",\"tenant_id\":\"radiology\",\"scope\":\"t1 t2\"")));
        assertThat(a.tenant()).isEqualTo("radiology");
        assertThat(a.allowedTasks()).containsExactly("t1", "t2");
        Principal b = verifier.verify(Tokens.hs256(SECRET, payload(",\"tenant\":\"icu\",\"scope\":[\"t3\"]")));
        assertThat(b.tenant()).isEqualTo("icu");
        assertThat(b.allowedTasks()).containsExactly("t3");
    }

    @Test
    void refusesWhatMustBeRefused() {
        String ok = payload("");
        record Case(String name, String token, String detail) {
        }
        List<Case> cases = List.of(
                new Case("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(ok) + ".", "unsigned"),
                new Case("alg none with sig", b64("{\"alg\":\"none\"}") + "." + b64(ok) + ".c2ln", "not accepted"),
                new Case("wrong algorithm", Tokens.sign(SECRET, "{\"alg\":\"HS512\"}", ok), "not accepted"),
                new Case("bad signature", Tokens.hs256(SECRET + "x", ok), "bad signature"),
                new Case("expired", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"iat\":" + (NOW - 7200) + ",\"exp\":" + (NOW - 3600) + "}"), "expired"),
                new Case("no exp", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"iat\":" + NOW + "}"), "'exp'"),
                new Case("future iat", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"iat\":" + (NOW + 600) + ",\"exp\":" + (NOW + 3600) + "}"), "future"),
                new Case("lifetime over cap", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 10 * 86_400) + "}"), "lifetime"),
                new Case("duplicate claim", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"sub\":\"admin\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 60) + "}"), "duplicate"),
                new Case("jku header", Tokens.sign(SECRET, "{\"alg\":\"HS256\",\"jku\":\"http://evil/keys\"}", ok), "jku"),
                new Case("embedded jwk", Tokens.sign(SECRET, "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}", ok), "jwk"),
                new Case("JWE", "a.b.c.d.e", "JWE"),
                new Case("CR/LF in claim", Tokens.hs256(SECRET, payload(",\"user_id\":\"bob\\r\\nX-Admin: 1\"")), "control"),
                new Case("revoked", Tokens.hs256(SECRET, payload(",\"jti\":\"revoked-jti\"")), "revoked"),
                new Case("too large", "x".repeat(9000), "too large"),
                new Case("garbage", "not-a-token", "malformed"),
                new Case("bad tenant", Tokens.hs256(SECRET, payload(",\"tenant\":\"../etc\"")), "tenant"),
                new Case("exp not a number", Tokens.hs256(SECRET, "{\"sub\":\"a\",\"exp\":\"tomorrow\"}"), "number"));
        for (Case c : cases) {
            assertThatThrownBy(() -> verifier.verify(c.token())).as(c.name())
                    .isInstanceOf(TokenRejected.class).hasMessageContaining(c.detail());
        }
    }

    @Test
    void aVerifiedTokenIsCachedButStillExpiresAndCanBeRevoked() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                Instant.ofEpochSecond(NOW));
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        java.util.Set<String> revokedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TokenVerifier v = new TokenVerifier(new JwtConfig(null, null, 86_400L, 0), SECRET.getBytes(StandardCharsets.UTF_8),
                moving, revokedIds::contains);
        String token = Tokens.hs256(SECRET, payload(",\"jti\":\"j-1\""));
        Principal first = v.verify(token);
        assertThat(v.verify("Bearer " + token)).isSameAs(first); // served from the cache
        revokedIds.add("j-1");
        assertThatThrownBy(() -> v.verify(token)).hasMessageContaining("revoked");
        revokedIds.clear();
        now.set(Instant.ofEpochSecond(NOW + 3601));
        assertThatThrownBy(() -> v.verify(token)).hasMessageContaining("expired");
        // a token differing in one signature byte is verified afresh, never served from the cache
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "AB" : "AA");
        assertThatThrownBy(() -> v.verify(forged)).isInstanceOf(TokenRejected.class);
    }
}
