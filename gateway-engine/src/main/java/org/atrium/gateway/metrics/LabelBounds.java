package org.atrium.gateway.metrics;

import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import org.atrium.model.ErrorCode;

/**
 * Maps raw values to label values with bounded cardinality: a value the gateway knows (a tenant in
 * the state, the {@code default} tenant, a route or backend in the route table, an error code)
 * keeps its name; anything else is {@value #OTHER}; no value at all is {@value #NONE}.
 */
public final class LabelBounds {
    public static final String OTHER = "other";
    public static final String NONE = "none";
    public static final String DEFAULT_TENANT = "default";

    private final Supplier<? extends Collection<String>> tenants;
    private final Supplier<? extends Collection<String>> routes;
    private final Supplier<? extends Collection<String>> backends;
    /** Error codes plus {@code CLIENT_CLOSED}, which the proxy records when the caller hangs up. */
    private static final Set<String> CODES = java.util.stream.Stream.concat(
                    java.util.Arrays.stream(ErrorCode.values()).map(Enum::name), java.util.stream.Stream.of("CLIENT_CLOSED"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * @param tenants  tenant ids in the state (read on every call: pass a cheap view)
     * @param routes   route ids in force
     * @param backends backend URLs in force
     */
    public LabelBounds(Supplier<? extends Collection<String>> tenants, Supplier<? extends Collection<String>> routes,
                       Supplier<? extends Collection<String>> backends) {
        this.tenants = tenants;
        this.routes = routes;
        this.backends = backends;
    }

    public String tenant(String id) {
        if (id == null) {
            return NONE;
        }
        return DEFAULT_TENANT.equals(id) || tenants.get().contains(id) ? id : OTHER;
    }

    public String route(String id) {
        if (id == null) {
            return NONE;
        }
        return routes.get().contains(id) ? id : OTHER;
    }

    public String backend(String url) {
        if (url == null) {
            return NONE;
        }
        return backends.get().contains(url) ? url : OTHER;
    }

    /** An {@link ErrorCode} name, {@value #NONE} for success, {@value #OTHER} for anything unexpected. */
    public static String code(String code) {
        if (code == null) {
            return NONE;
        }
        return CODES.contains(code) ? code : OTHER;
    }

    /** {@code 2xx} ... {@code 5xx}; {@code 0xx} when no status was set (the client went away). */
    public static String statusClass(int status) {
        return status < 100 || status > 599 ? "0xx" : (status / 100) + "xx";
    }
}
