package org.atrium.console.view.routes;

import java.util.List;
import org.atrium.model.Balancer;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;
import org.atrium.model.ValidationException;

/** Builds an edited route from the dialog's text, keeping the fields the dialog does not show. */
public final class RouteForm {
    private RouteForm() {
    }

    /** One backend row as typed. */
    public record BackendText(String url, String weight, String maxConcurrency) {
    }

    public static RouteSpec toSpec(RouteSpec base, String id, Balancer balancer, List<BackendText> backends,
                                   String connectTimeout, String readTimeout, String queueTimeout, String maxQueue,
                                   String fallback) {
        List<BackendSpec> list = backends.stream().filter(b -> b.url() != null && !b.url().isBlank())
                .map(b -> new BackendSpec(b.url(), integer(b.weight(), "weight"), integer(b.maxConcurrency(), "maxConcurrency")))
                .toList();
        RouteSpec r = base;
        return new RouteSpec(id == null ? null : id.strip(), r == null ? null : r.aliases(), list, balancer,
                integer(connectTimeout, "connectTimeoutSeconds"), integer(readTimeout, "readTimeoutSeconds"),
                r == null ? null : r.upstreamApiKey(), r == null ? null : r.upstreamApiKeyHeader(),
                fallback == null || fallback.isBlank() ? null : fallback.strip(),
                r == null ? null : r.fallbackQueueThreshold(), r == null ? null : r.cache(),
                r == null ? null : r.cacheTtlSeconds(), integer(queueTimeout, "queueTimeoutSeconds"),
                integer(maxQueue, "maxQueue"), r == null ? null : r.healthPath(), r == null ? null : r.name(),
                r == null ? null : r.type(), null);
    }

    static Integer integer(String s, String field) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a whole number");
        }
    }
}
