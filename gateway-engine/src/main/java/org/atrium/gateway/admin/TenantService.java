package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.TenantSpec;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/tenants}. The {@code default} tenant (tokens without a tenant claim) always
 * exists: listed with default settings until stored, editable with PUT or PATCH, never deleted.
 * PUT replaces the whole tenant (fields left out take their defaults); PATCH (JSON merge patch)
 * changes only the fields it names.
 */
public final class TenantService implements HttpService {
    private final StateStore store;
    private final AuditTrail audit;

    public TenantService(StateStore store, AuditTrail audit) {
        this.store = store;
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res, list()))
                .get("/{id}", (req, res) -> AdminBodies.json(res, get(id(req))))
                .post("/", (req, res) -> AdminBodies.json(res, Status.CREATED_201,
                        create(AdminAccess.caller(req), AdminBodies.read(req, TenantSpec.class))))
                .put("/{id}", (req, res) -> AdminBodies.json(res,
                        put(AdminAccess.caller(req), id(req), AdminBodies.read(req, TenantSpec.class))))
                .patch("/{id}", (req, res) -> AdminBodies.json(res, patch(AdminAccess.caller(req), id(req),
                        MergePatch.read(req))))
                .delete("/{id}", this::delete);
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private void delete(ServerRequest req, ServerResponse res) {
        delete(AdminAccess.caller(req), id(req));
        AdminBodies.noContent(res);
    }

    public List<TenantSpec> list() {
        List<TenantSpec> stored = store.tenants();
        List<TenantSpec> out = new ArrayList<>();
        if (stored.stream().noneMatch(t -> t.id().equals(TenantSpec.DEFAULT_ID))) {
            out.add(TenantSpec.of(TenantSpec.DEFAULT_ID));
        }
        out.addAll(stored);
        out.sort(java.util.Comparator.comparing(TenantSpec::id));
        return out;
    }

    public TenantSpec get(String id) {
        return find(id).orElseThrow(() -> AdminException.notFound("Tenant '" + id + "' not found"));
    }

    private java.util.Optional<TenantSpec> find(String id) {
        java.util.Optional<TenantSpec> t = store.tenant(id);
        if (t.isEmpty() && TenantSpec.DEFAULT_ID.equals(id)) {
            return java.util.Optional.of(TenantSpec.of(id));
        }
        return t;
    }

    public TenantSpec create(AdminAuth.Caller caller, TenantSpec spec) {
        if (find(spec.id()).isPresent()) {
            throw AdminException.conflict("Tenant '" + spec.id() + "' already exists; use PUT to change it");
        }
        store.putTenant(spec);
        audit.record(caller, "tenant.create", spec.id(), null, spec);
        return spec;
    }

    public TenantSpec put(AdminAuth.Caller caller, String id, TenantSpec spec) {
        ValidationException.require(id.equals(spec.id()), "id", "must match the id in the path ('" + id + "')");
        TenantSpec before = store.tenant(id).orElse(null);
        store.putTenant(spec);
        audit.record(caller, before == null ? "tenant.create" : "tenant.update", id, before, spec);
        return spec;
    }

    /** PATCH: the stored tenant with a merge patch applied, then stored and audited as a PUT of it. */
    public TenantSpec patch(AdminAuth.Caller caller, String id, JsonNode patch) throws JsonProcessingException {
        return put(caller, id, MergePatch.applyTo(get(id), patch, TenantSpec.class));
    }

    public TenantSpec setEnabled(AdminAuth.Caller caller, String id, boolean enabled) {
        TenantSpec before = get(id);
        TenantSpec after = before.withEnabled(enabled);
        store.putTenant(after);
        audit.record(caller, enabled ? "tenant.enable" : "tenant.disable", id, before, after);
        return after;
    }

    public void delete(AdminAuth.Caller caller, String id) {
        if (TenantSpec.DEFAULT_ID.equals(id)) {
            throw AdminException.conflict("The default tenant cannot be deleted; disable it or change its limits");
        }
        TenantSpec before = get(id);
        store.deleteTenant(id);
        audit.record(caller, "tenant.delete", id, before, null);
    }
}
