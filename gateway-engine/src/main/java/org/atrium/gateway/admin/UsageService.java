package org.atrium.gateway.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.UsageRow;
import org.atrium.model.ValidationException;

/**
 * {@code /admin/v1/usage?tenant=&from=&to=&groupBy=day|user|route}: usage rows per local day,
 * tenant, user and route, or summed by day (per tenant), by user or by route over the range.
 * Without dates: the last 7 days including today. JSON, or CSV with {@code Accept: text/csv}.
 */
public final class UsageService implements HttpService {
    /** Longest range one query may span. */
    public static final int MAX_DAYS = 366;

    /** How rows are summed. */
    public enum GroupBy {
        NONE, DAY, USER, ROUTE;

        public static GroupBy parse(String s) {
            if (s == null || s.isBlank()) {
                return NONE;
            }
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("groupBy", "must be day, user or route");
            }
        }
    }

    private final StateStore store;
    private final Runnable flush;
    private final ZoneId zone;
    private final Clock clock;

    /** @param flush writes buffered counters first, so the answer includes the last seconds */
    public UsageService(StateStore store, Runnable flush, ZoneId zone, Clock clock) {
        this.store = store;
        this.flush = flush;
        this.zone = zone;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::usage);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        List<UsageRow> rows = usage(req.query().first("tenant").orElse(null), req.query().first("from").orElse(null),
                req.query().first("to").orElse(null), GroupBy.parse(req.query().first("groupBy").orElse(null)));
        boolean csv = req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/csv")).orElse(false);
        if (csv) {
            res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=UTF-8")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(csv(rows).getBytes(StandardCharsets.UTF_8));
        } else {
            AdminBodies.json(res, rows);
        }
    }

    public List<UsageRow> usage(String tenant, String from, String to, GroupBy groupBy) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate t = date(to, "to", today);
        LocalDate f = date(from, "from", (to == null ? today : t).minusDays(6));
        ValidationException.require(!f.isAfter(t), "from", "must not be after 'to'");
        ValidationException.require(ChronoUnit.DAYS.between(f, t) < MAX_DAYS, "to",
                "the range may span at most " + MAX_DAYS + " days");
        if (flush != null) {
            flush.run();
        }
        List<UsageRow> rows = store.usage(f, t, tenant == null || tenant.isBlank() ? null : tenant);
        return switch (groupBy) {
            case NONE -> rows;
            case DAY -> sum(rows, r -> new UsageRow(r.day(), r.tenant(), null, null, 0, 0, 0, 0, 0));
            case USER -> sum(rows, r -> new UsageRow(null, r.tenant(), r.user(), null, 0, 0, 0, 0, 0));
            case ROUTE -> sum(rows, r -> new UsageRow(null, r.tenant(), null, r.route(), 0, 0, 0, 0, 0));
        };
    }

    private static LocalDate date(String s, String field, LocalDate dflt) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "must be an ISO date such as 2026-11-22");
        }
    }

    private static List<UsageRow> sum(List<UsageRow> rows, Function<UsageRow, UsageRow> key) {
        Map<UsageRow, UsageRow> sums = new LinkedHashMap<>();
        for (UsageRow r : rows) {
            sums.merge(key.apply(r), r, (a, b) -> new UsageRow(a.day(), a.tenant(), a.user(), a.route(),
                    a.requests() + b.requests(), a.errors() + b.errors(), a.promptTokens() + b.promptTokens(),
                    a.completionTokens() + b.completionTokens(), a.gpuSeconds() + b.gpuSeconds()));
        }
        return sums.entrySet().stream().map(e -> {
            UsageRow k = e.getKey();
            UsageRow v = e.getValue();
            return new UsageRow(k.day(), k.tenant(), k.user(), k.route(), v.requests(), v.errors(), v.promptTokens(),
                    v.completionTokens(), v.gpuSeconds());
        }).toList();
    }

    /** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with {@code '}. */
    public static String csv(List<UsageRow> rows) {
        StringBuilder sb = new StringBuilder(
                "day,tenant,user,route,requests,errors,prompt_tokens,completion_tokens,total_tokens,gpu_seconds\r\n");
        for (UsageRow r : rows) {
            sb.append(cell(r.day() == null ? "" : r.day().toString())).append(',')
                    .append(cell(r.tenant())).append(',')
                    .append(cell(r.user())).append(',')
                    .append(cell(r.route())).append(',')
                    .append(r.requests()).append(',')
                    .append(r.errors()).append(',')
                    .append(r.promptTokens()).append(',')
                    .append(r.completionTokens()).append(',')
                    .append(r.totalTokens()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", r.gpuSeconds())).append("\r\n");
        }
        return sb.toString();
    }

    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
