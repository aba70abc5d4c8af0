package org.atrium.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.ErrorCode;
import org.atrium.model.RouteSpec;
import org.atrium.model.RouteTestResult;
import org.atrium.gateway.route.BackendAddressPolicy;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/routes}. Lists the routes in force (configuration file and store, {@code source}
 * says which); writes go to the store and reach the route table before the answer, so they apply to
 * the next request. Routes from the configuration file are read-only here (409: edit the file).
 * Route ids may contain {@code /} (model names such as {@code Qwen/Qwen3-8B}), so the id is the
 * rest of the path, URL-encoded or not. Upstream API keys are never answered or audited: they read
 * {@value #MASK}, and a PUT carrying {@value #MASK} keeps the stored key. PUT replaces the whole
 * route; PATCH (JSON merge patch) changes only the fields it names and is then stored as a PUT.
 */
public final class RouteService implements HttpService {
    public static final String MASK = "********";
    private static final String TEST_SUFFIX = "/test";

    private final StateStore store;
    private final AuditTrail audit;
    private final Supplier<List<RouteSpec>> inForce;
    private final RouteProber prober;
    private final BackendAddressPolicy addressPolicy;

    /**
     * @param inForce       the merged routes in force with {@code source} set
     * @param addressPolicy the backend addresses refused (as for routes in the configuration file)
     */
    public RouteService(StateStore store, AuditTrail audit, Supplier<List<RouteSpec>> inForce, RouteProber prober,
                        BackendAddressPolicy addressPolicy) {
        this.store = store;
        this.audit = audit;
        this.inForce = inForce;
        this.prober = prober;
        this.addressPolicy = addressPolicy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res, list()))
                .post("/", (req, res) -> AdminBodies.json(res, Status.CREATED_201,
                        create(AdminAccess.caller(req), AdminBodies.read(req, RouteSpec.class))))
                .post("/{+id}", this::testRoute)
                .get("/{+id}", (req, res) -> AdminBodies.json(res, get(id(req))))
                .put("/{+id}", (req, res) -> AdminBodies.json(res,
                        put(AdminAccess.caller(req), id(req), AdminBodies.read(req, RouteSpec.class))))
                .patch("/{+id}", (req, res) -> AdminBodies.json(res, patch(AdminAccess.caller(req), id(req),
                        MergePatch.read(req))))
                .delete("/{+id}", this::delete);
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }

    private void testRoute(ServerRequest req, ServerResponse res) {
        String rest = id(req);
        if (!rest.endsWith(TEST_SUFFIX)) {
            throw new AdminException(ErrorCode.METHOD_NOT_ALLOWED, "POST is for /routes and /routes/{id}/test");
        }
        AdminBodies.json(res, test(rest.substring(0, rest.length() - TEST_SUFFIX.length())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        delete(AdminAccess.caller(req), id(req));
        AdminBodies.noContent(res);
    }

    public List<RouteSpec> list() {
        return inForce.get().stream().map(RouteService::masked).toList();
    }

    public RouteSpec get(String id) {
        return masked(find(id).orElseThrow(() -> notFound(id)));
    }

    public RouteTestResult test(String id) {
        return prober.probe(find(id).orElseThrow(() -> notFound(id)));
    }

    public RouteSpec create(AdminAuth.Caller caller, RouteSpec spec) {
        if (find(spec.id()).isPresent()) {
            throw AdminException.conflict("Route '" + spec.id() + "' already exists; use PUT to change it");
        }
        checkNames(spec);
        checkAddresses(spec);
        RouteSpec stored = spec.withSource(null);
        ValidationException.require(!MASK.equals(stored.upstreamApiKey()), "upstreamApiKey", "must be the real key");
        store.putRoute(stored);
        audit.record(caller, "route.create", spec.id(), null, masked(stored));
        return masked(stored.withSource("store"));
    }

    public RouteSpec put(AdminAuth.Caller caller, String id, RouteSpec spec) {
        ValidationException.require(id.equals(spec.id()), "id", "must match the id in the path ('" + id + "')");
        Optional<RouteSpec> existing = find(id);
        existing.ifPresent(RouteService::requireStored);
        checkNames(spec);
        checkAddresses(spec);
        RouteSpec stored = spec.withSource(null);
        if (MASK.equals(stored.upstreamApiKey())) {
            stored = withKey(stored, existing.map(RouteSpec::upstreamApiKey).orElse(null));
        }
        store.putRoute(stored);
        audit.record(caller, existing.isPresent() ? "route.update" : "route.create", id,
                existing.map(RouteService::masked).orElse(null), masked(stored));
        return masked(stored.withSource("store"));
    }

    /**
     * PATCH: the merge patch applies to the stored route as GET answers it (key masked, so a patch
     * that leaves the key alone keeps it, as a PUT with the mask does), then it is stored and
     * audited as a PUT of the result. A route from the configuration file is read-only here as for
     * PUT: 409.
     */
    public RouteSpec patch(AdminAuth.Caller caller, String id, JsonNode patch) throws JsonProcessingException {
        RouteSpec existing = find(id).orElseThrow(() -> notFound(id));
        requireStored(existing);
        return put(caller, id, MergePatch.applyTo(masked(existing).withSource(null), patch, RouteSpec.class));
    }

    public void delete(AdminAuth.Caller caller, String id) {
        RouteSpec before = find(id).orElseThrow(() -> notFound(id));
        requireStored(before);
        store.deleteRoute(id);
        audit.record(caller, "route.delete", id, masked(before), null);
    }

    /** A backend at a link-local or metadata address or at the gateway itself: 400 naming the backend's url. */
    private void checkAddresses(RouteSpec spec) {
        addressPolicy.check(spec).ifPresent(r -> {
            throw new ValidationException("backends[" + r.backend() + "].url", r.reason());
        });
    }

    private Optional<RouteSpec> find(String id) {
        return inForce.get().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static void requireStored(RouteSpec r) {
        if ("config".equals(r.source())) {
            throw AdminException.conflict("Route '" + r.id() + "' comes from the configuration file and is read-only"
                    + " through the API; edit the file (it is reloaded automatically)");
        }
    }

    /** An id or alias may name only one route, else calls would go to whichever wins. */
    private void checkNames(RouteSpec spec) {
        for (RouteSpec other : inForce.get()) {
            if (other.id().equals(spec.id())) {
                continue;
            }
            for (String name : spec.aliases()) {
                if (other.id().equals(name) || other.aliases().contains(name)) {
                    throw new AdminException(ErrorCode.CONFLICT,
                            "Alias '" + name + "' already names route '" + other.id() + "'", "aliases");
                }
            }
            if (other.aliases().contains(spec.id())) {
                throw new AdminException(ErrorCode.CONFLICT,
                        "'" + spec.id() + "' is already an alias of route '" + other.id() + "'", "id");
            }
        }
    }

    private static AdminException notFound(String id) {
        return AdminException.notFound("Route '" + id + "' not found");
    }

    static RouteSpec masked(RouteSpec r) {
        return r.upstreamApiKey() == null ? r : withKey(r, MASK);
    }

    private static RouteSpec withKey(RouteSpec r, String key) {
        return new RouteSpec(r.id(), r.aliases(), r.backends(), r.balancer(), r.connectTimeoutSeconds(),
                r.readTimeoutSeconds(), key, r.upstreamApiKeyHeader(), r.fallback(), r.fallbackQueueThreshold(),
                r.cache(), r.cacheTtlSeconds(), r.queueTimeoutSeconds(), r.maxQueue(), r.healthPath(), r.name(),
                r.type(), r.source());
    }
}
