package org.atrium.gateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.security.Principal;
import org.atrium.gateway.security.TokenRejected;
import org.atrium.gateway.security.TokenVerifier;
import org.atrium.model.BanType;
import org.atrium.model.ErrorCode;

/**
 * Who is calling the admin listener: the data dir's admin token (compared in constant time) is
 * role {@code admin}; a JWT with role {@code admin} or {@code auditor} is that role, unless its
 * user or token id is banned or the token revoked. Anything else is refused.
 */
public final class AdminAuth {
    /** An authenticated admin caller. {@code actor} goes into the audit trail. */
    public record Caller(String actor, String role, String address) {
        public boolean mayWrite() {
            return "admin".equals(role);
        }
    }

    /** Whether an identity is banned now (user or token id); the data path's bans, read from memory. */
    @FunctionalInterface
    public interface Bans {
        Bans NONE = (type, id) -> false;

        boolean banned(BanType type, String id);
    }

    private final byte[] adminToken;
    private final TokenVerifier verifier;
    private final Bans bans;

    public AdminAuth(String adminToken, TokenVerifier verifier) {
        this(adminToken, verifier, Bans.NONE);
    }

    /**
     * @param bans user and token-id bans, which apply to admin and auditor JWTs as on the data path
     *             (revoked token ids are refused by the verifier). The data dir's admin token is
     *             the operator's break-glass credential and is not subject to bans.
     */
    public AdminAuth(String adminToken, TokenVerifier verifier, Bans bans) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.verifier = verifier;
        this.bans = bans;
    }

    public Caller authenticate(ServerRequest req) throws Rejection {
        String address = DataPathService.remoteIp(req.remotePeer().address());
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        return authenticate(header, address);
    }

    public Caller authenticate(String header, String address) throws Rejection {
        if (header == null || header.isBlank()) {
            throw new Rejection(ErrorCode.NO_TOKEN, "Missing authorization header");
        }
        String token = header.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), adminToken)) {
            return new Caller("admin-token", "admin", address);
        }
        if (token.indexOf('.') < 0) {
            throw new Rejection(ErrorCode.INVALID_TOKEN, "Invalid admin token");
        }
        Principal p;
        try {
            p = verifier.verify(token);
        } catch (TokenRejected e) {
            throw new Rejection(ErrorCode.INVALID_TOKEN).with("detail", e.getMessage());
        }
        if (bans.banned(BanType.USER, p.user())) {
            throw new Rejection(ErrorCode.USER_BLACKLISTED, "Access denied").with("reason", "User is blacklisted");
        }
        if (p.jti() != null && bans.banned(BanType.TOKEN, p.jti())) {
            throw new Rejection(ErrorCode.BLACKLISTED, "Access denied").with("reason", "Token is blacklisted");
        }
        if (!"admin".equals(p.role()) && !"auditor".equals(p.role())) {
            throw new Rejection(ErrorCode.FORBIDDEN, "This token has no admin or auditor role");
        }
        return new Caller("jwt:" + p.user(), p.role(), address);
    }
}
