package org.atrium.gateway.pipeline;

import java.time.Clock;
import org.atrium.gateway.security.Principal;
import org.atrium.gateway.state.StateView;
import org.atrium.model.BanType;
import org.atrium.model.ErrorCode;
import org.atrium.model.TenantSpec;

/**
 * Stage 4: bans on the caller's identity and the tenant's state. A user ban answers the
 * reference's 403 {@code USER_BLACKLISTED}; a banned token id 403 {@code BLACKLISTED}; a banned,
 * disabled or unknown tenant 403 {@code TENANT_DISABLED}. The tenant {@code default} always exists.
 */
public final class PrincipalCheckStage implements Stage {
    /** The implicit {@code default} tenant, made (and validated) once rather than on each of its calls. */
    private static final TenantSpec DEFAULT_TENANT = TenantSpec.of(TenantSpec.DEFAULT_ID);

    private final StateView state;
    private final Clock clock;

    public PrincipalCheckStage(StateView state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    @Override
    public int order() {
        return PRINCIPAL_BANS;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        Principal p = ex.principal();
        var now = clock.instant();
        var bans = state.bans();
        if (bans.find(BanType.USER, p.user(), now).isPresent()) {
            throw new Rejection(ErrorCode.USER_BLACKLISTED, "Access denied").with("reason", "User is blacklisted");
        }
        if (p.jti() != null && bans.find(BanType.TOKEN, p.jti(), now).isPresent()) {
            throw IpCheckStage.blacklisted("token", p.jti());
        }
        TenantSpec tenant = state.tenant(p.tenant());
        if (tenant == null && TenantSpec.DEFAULT_ID.equals(p.tenant())) {
            tenant = DEFAULT_TENANT;
        }
        if (tenant == null) {
            throw new Rejection(ErrorCode.TENANT_DISABLED, "Unknown tenant").with("tenant", p.tenant());
        }
        if (!tenant.enabled() || bans.find(BanType.TENANT, tenant.id(), now).isPresent()) {
            throw new Rejection(ErrorCode.TENANT_DISABLED).with("tenant", tenant.id());
        }
        ex.tenant(tenant);
        ex.priority(p.priority() != null ? p.priority() : tenant.priority());
    }
}
