package org.atrium.gateway.admin;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.security.CidrBlock;
import org.atrium.gateway.state.BanIndex;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/bans}. IP targets must be an address or a CIDR block (v4 or v6) and are stored
 * in canonical form, so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same ban. DELETE takes the
 * target URL-encoded ({@code 10.0.0.0%2F8}); the unencoded form works too.
 */
public final class BanService implements HttpService {
    private final StateStore store;
    private final AuditTrail audit;
    private final Clock clock;

    public BanService(StateStore store, AuditTrail audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res,
                        list(req.query().first("type").map(BanType::parse).orElse(null))))
                .post("/", (req, res) -> AdminBodies.json(res, Status.CREATED_201,
                        add(AdminAccess.caller(req), AdminBodies.read(req, BanRequest.class), "ban.add")))
                .delete("/{type}/{+target}", this::remove);
    }

    private void remove(ServerRequest req, ServerResponse res) {
        BanType type = BanType.parse(req.path().pathParameters().get("type"));
        String target = req.path().pathParameters().get("target");
        if (!remove(AdminAccess.caller(req), type, target, "ban.remove")) {
            throw AdminException.notFound("No " + type.wire() + " ban for '" + target + "'");
        }
        AdminBodies.noContent(res);
    }

    /** Active bans, optionally of one type. */
    public List<Ban> list(BanType type) {
        Instant now = clock.instant();
        return store.bans().stream()
                .filter(b -> type == null || b.type() == type)
                .filter(b -> b.activeAt(now))
                .toList();
    }

    public Ban add(AdminAuth.Caller caller, BanRequest r, String action) {
        String target = canonical(r.type(), r.target());
        Instant now = clock.instant();
        Instant expires = r.durationSeconds() == null || r.durationSeconds() == 0 ? null
                : now.plusSeconds(r.durationSeconds());
        Ban ban = new Ban(r.type(), target, r.reason(), caller.actor(), now, expires);
        Optional<Ban> before = find(r.type(), target);
        store.putBan(ban);
        audit.record(caller, action, r.type().wire() + ":" + target, before.orElse(null), ban);
        return ban;
    }

    /** Removes a ban; false when there was none. */
    public boolean remove(AdminAuth.Caller caller, BanType type, String rawTarget, String action) {
        ValidationException.require(rawTarget != null && !rawTarget.isBlank(), "target", "is required");
        String target = canonical(type, rawTarget);
        Optional<Ban> before = find(type, target);
        if (!store.deleteBan(type, target)) {
            return false;
        }
        audit.record(caller, action, type.wire() + ":" + target, before.orElse(null), null);
        return true;
    }

    private Optional<Ban> find(BanType type, String target) {
        return store.bans().stream().filter(b -> b.type() == type && b.target().equals(target)).findFirst();
    }

    /** IP targets: a valid address or block in canonical text; other targets stripped. */
    static String canonical(BanType type, String target) {
        String t = target.strip();
        if (type != BanType.IP) {
            return t;
        }
        CidrBlock block;
        try {
            block = CidrBlock.parse(t);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("target", "must be an IPv4/IPv6 address or CIDR block (e.g. 10.0.0.0/8)");
        }
        int slash = t.indexOf('/');
        String address = BanIndex.canonicalIp(slash < 0 ? t : t.substring(0, slash));
        return block.prefix() == block.network().length * 8 && slash < 0 ? address : address + "/" + block.prefix();
    }
}
