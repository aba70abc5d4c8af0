package org.atrium.gateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.atrium.gateway.pipeline.Rejection;
import org.atrium.gateway.security.Principal;
import org.atrium.gateway.security.TokenRejected;
import org.atrium.gateway.security.TokenVerifier;
import org.atrium.model.ErrorCode;

/**
 * Who is calling the admin listener: the data dir's admin token (compared in constant time) is
 * role {@code admin}; a JWT with role {@code admin} or {@code auditor} is that role. Anything else
 * is refused.
 */
public final class AdminAuth {
    /** An authenticated admin caller. {@code actor} goes into the audit trail. */
    public record Caller(String actor, String role, String address) {
        public boolean mayWrite() {
            return "admin".equals(role);
        }
    }

    private final byte[] adminToken;
    private final TokenVerifier verifier;

    public AdminAuth(String adminToken, TokenVerifier verifier) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.verifier = verifier;
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
        if (!"admin".equals(p.role()) && !"auditor".equals(p.role())) {
            throw new Rejection(ErrorCode.FORBIDDEN, "This token has no admin or auditor role");
        }
        return new Caller("jwt:" + p.user(), p.role(), address);
    }
}
