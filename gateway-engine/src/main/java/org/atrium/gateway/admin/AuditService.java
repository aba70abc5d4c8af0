package org.atrium.gateway.admin;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.atrium.gateway.state.AuditChain;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.AuditEntry;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/audit?from=&to=&actor=}: the hash-chained audit trail, readable by admins and
 * auditors. {@code from}/{@code to} are ISO instants or local dates ({@code to} as a date includes
 * that whole day).
 */
public final class AuditService implements HttpService {
    private final StateStore store;
    private final ZoneId zone;

    public AuditService(StateStore store, ZoneId zone) {
        this.store = store;
        this.zone = zone;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> AdminBodies.json(res, entries(req.query().first("from").orElse(null),
                req.query().first("to").orElse(null), req.query().first("actor").orElse(null))));
    }

    public List<AuditEntry> entries(String from, String to, String actor) {
        Instant f = instant(from, "from", false);
        Instant t = instant(to, "to", true);
        ValidationException.require(f == null || t == null || !f.isAfter(t), "from", "must not be after 'to'");
        return store.audit(f, t, actor == null || actor.isBlank() ? null : actor);
    }

    /** The first broken link of the whole chain, empty when intact. */
    public Optional<String> verify() {
        var entries = store.audit(null, null, null);
        return store instanceof org.atrium.gateway.state.SqliteStateStore sqlite && sqlite.seal() != null
                ? AuditChain.firstBrokenLink(entries, sqlite.seal()) : AuditChain.firstBrokenLink(entries);
    }

    private Instant instant(String s, String field, boolean endOfDay) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException notInstant) {
            try {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new ValidationException(field, "must be an ISO instant (2026-11-22T08:00:00Z) or date (2026-11-22)");
            }
        }
    }
}
