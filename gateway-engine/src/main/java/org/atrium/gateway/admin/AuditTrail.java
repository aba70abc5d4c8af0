package org.atrium.gateway.admin;

import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.state.AuditRecord;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.AuditEntry;

/**
 * Appends admin changes to the store's hash-chained audit log: who (actor), from where, what
 * (action and target) and the JSON before and after. Callers pass redacted views: never a raw
 * token or upstream key.
 */
public final class AuditTrail {
    private final StateStore store;

    public AuditTrail(StateStore store) {
        this.store = store;
    }

    public AuditEntry record(AdminAuth.Caller caller, String action, String target, Object before, Object after) {
        return store.appendAudit(new AuditRecord(caller.actor(), caller.address(), action, target,
                AdminBodies.toJson(before), AdminBodies.toJson(after)));
    }
}
