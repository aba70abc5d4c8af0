package org.atrium.gateway.admin;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/tokens}: issues tokens (the token itself is answered once and never stored or
 * audited), lists the registry and revokes by {@code jti}. A revocation reaches the request path
 * through the store's change notification, so the next call with the token gets 401.
 */
public final class TokenService implements HttpService {
    private final StateStore store;
    private final AuditTrail audit;
    private final TokenMinter minter;
    private final Function<String, Boolean> tenantExists;
    private final Clock clock;

    public TokenService(StateStore store, AuditTrail audit, TokenMinter minter, Function<String, Boolean> tenantExists,
                        Clock clock) {
        this.store = store;
        this.audit = audit;
        this.minter = minter;
        this.tenantExists = tenantExists;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res, list()))
                .post("/", (req, res) -> AdminBodies.json(res, Status.CREATED_201,
                        issue(AdminAccess.caller(req), AdminBodies.read(req, TokenIssueRequest.class))))
                .delete("/{jti}", this::revoke);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        revoke(AdminAccess.caller(req), req.path().pathParameters().get("jti"));
        AdminBodies.noContent(res);
    }

    public List<TokenInfo> list() {
        return store.tokens().stream()
                .sorted(java.util.Comparator.comparing(TokenInfo::issuedAt,
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                .toList();
    }

    public TokenIssued issue(AdminAuth.Caller caller, TokenIssueRequest request) {
        ValidationException.require(tenantExists.apply(request.tenant()), "tenant",
                "unknown tenant '" + request.tenant() + "'");
        TokenMinter.Minted m = minter.mint(request, caller.actor());
        store.registerToken(m.info());
        audit.record(caller, "token.issue", m.info().jti(), null, summary(m.info()));
        return m.issued();
    }

    public void revoke(AdminAuth.Caller caller, String jti) {
        TokenInfo before = store.tokens().stream().filter(t -> t.jti().equals(jti)).findFirst()
                .orElseThrow(() -> AdminException.notFound("Token '" + jti + "' not found"));
        if (before.revoked()) {
            return;
        }
        if (!store.revokeToken(jti, clock.instant())) {
            throw AdminException.notFound("Token '" + jti + "' not found");
        }
        Map<String, Object> after = summary(before);
        after.put("revoked", true);
        audit.record(caller, "token.revoke", jti, summary(before), after);
    }

    /** What the audit trail keeps about a token: who it is for, never the token. */
    private static Map<String, Object> summary(TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jti", t.jti());
        m.put("tenant", t.tenant());
        m.put("user", t.user());
        m.put("role", t.role());
        return m;
    }
}
