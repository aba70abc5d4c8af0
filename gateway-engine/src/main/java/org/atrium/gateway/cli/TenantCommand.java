package org.atrium.gateway.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atrium.gateway.admin.UsageService;
import org.atrium.model.Priority;
import org.atrium.model.TenantSpec;
import org.atrium.model.UsageRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tenant list|add|set|disable|enable|usage}; set, disable and enable change only what they name (PATCH). */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manage tenants (departments).")
final class TenantCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    int list(@Mixin ConnectionOptions conn) {
        try (AdminClient c = conn.open()) {
            List<TenantSpec> tenants = c.tenants();
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, tenants);
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (TenantSpec t : tenants) {
                rows.add(java.util.Arrays.asList(t.id(), t.name(), t.enabled() ? "enabled" : "disabled", t.weight(),
                        t.priority().wire(), t.requestsPerMinute(), t.dailyRequestQuota(), t.dailyTokenQuota()));
            }
            Output.table(out, List.of("ID", "NAME", "STATE", "WEIGHT", "PRIORITY", "RPM", "DAILY_REQUESTS",
                    "DAILY_TOKENS"), rows);
        }
        return ExitCodes.OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a tenant (exit 2 if it exists).")
    int add(@Mixin ConnectionOptions conn,
            @Parameters(paramLabel = "ID") String id,
            @Mixin Settings o,
            @Option(names = "--disabled", description = "Create it disabled.") boolean disabled) {
        TenantSpec t = new TenantSpec(id, o.name, !disabled, o.weight, o.priority, o.rpm, null, null, null, o.maxConcurrent,
                null, o.dailyRequests, o.dailyTokens, null);
        try (AdminClient c = conn.open()) {
            TenantSpec created = c.createTenant(t);
            print(conn, created, "added tenant " + created.id());
        }
        return ExitCodes.OK;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change some settings of a tenant; the others stay as they are (PATCH). 0 for a quota: none.")
    int set(@Mixin ConnectionOptions conn,
            @Parameters(paramLabel = "ID") String id,
            @Mixin Settings o) {
        java.util.Map<String, Object> patch = new java.util.LinkedHashMap<>();
        putIfSet(patch, "name", o.name);
        putIfSet(patch, "weight", o.weight);
        putIfSet(patch, "priority", o.priority == null ? null : o.priority.wire());
        putIfSet(patch, "requestsPerMinute", o.rpm);
        putIfSet(patch, "maxConcurrent", o.maxConcurrent);
        putIfSet(patch, "dailyRequestQuota", o.dailyRequests);
        putIfSet(patch, "dailyTokenQuota", o.dailyTokens);
        if (patch.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to change: give at least one option (see --help)");
        }
        try (AdminClient c = conn.open()) {
            print(conn, c.patchTenant(id, patch), "changed tenant " + id + ": " + String.join(", ", patch.keySet()));
        }
        return ExitCodes.OK;
    }

    /** The settings {@code add} and {@code set} both take; unset options stay null. */
    static final class Settings {
        @Option(names = "--name") String name;
        @Option(names = "--weight", description = "Fair-share weight 1-1000.") Integer weight;
        @Option(names = "--priority", description = "high, normal or low.") Priority priority;
        @Option(names = "--rpm", description = "Requests per minute for the whole tenant.") Integer rpm;
        @Option(names = "--max-concurrent") Integer maxConcurrent;
        @Option(names = "--daily-requests", description = "Daily request quota (0: none).") Long dailyRequests;
        @Option(names = "--daily-tokens", description = "Daily token quota (0: none).") Long dailyTokens;
    }

    private static void putIfSet(java.util.Map<String, Object> patch, String field, Object value) {
        if (value != null) {
            patch.put(field, value);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable a tenant: its calls are refused (403 TENANT_DISABLED) from the next request.")
    int disable(@Mixin ConnectionOptions conn, @Parameters(paramLabel = "ID") String id) {
        try (AdminClient c = conn.open()) {
            print(conn, c.setTenantEnabled(id, false), "disabled tenant " + id);
        }
        return ExitCodes.OK;
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a tenant again.")
    int enable(@Mixin ConnectionOptions conn, @Parameters(paramLabel = "ID") String id) {
        try (AdminClient c = conn.open()) {
            print(conn, c.setTenantEnabled(id, true), "enabled tenant " + id);
        }
        return ExitCodes.OK;
    }

    @Command(name = "usage", mixinStandardHelpOptions = true,
            description = "Usage of a tenant per user and route (default: today).")
    int usage(@Mixin ConnectionOptions conn, @Parameters(paramLabel = "ID") String id,
              @Option(names = "--from", paramLabel = "DATE", description = "First day, ISO (default: today).") String from,
              @Option(names = "--to", paramLabel = "DATE", description = "Last day, ISO (default: today).") String to,
              @Option(names = "--group-by", paramLabel = "day|user|route", description = "Sum by day, user or route.")
              String groupBy) {
        String today = LocalDate.now().toString();
        try (AdminClient c = conn.open()) {
            List<UsageRow> rows = c.usage(id, from == null ? (to == null ? today : to) : from, to == null ? today : to,
                    UsageService.GroupBy.parse(groupBy));
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, rows);
                return ExitCodes.OK;
            }
            List<List<Object>> table = new ArrayList<>();
            long requests = 0;
            long tokens = 0;
            for (UsageRow r : rows) {
                table.add(java.util.Arrays.asList(r.day(), r.user(), r.route(), r.requests(), r.errors(), r.promptTokens(),
                        r.completionTokens(), String.format(Locale.ROOT, "%.1f", r.gpuSeconds())));
                requests += r.requests();
                tokens += r.totalTokens();
            }
            Output.table(out, List.of("DAY", "USER", "ROUTE", "REQUESTS", "ERRORS", "PROMPT_TOKENS", "COMPLETION_TOKENS",
                    "GPU_SECONDS"), table);
            out.println("total: " + requests + " requests, " + tokens + " tokens");
            out.flush();
        }
        return ExitCodes.OK;
    }

    private void print(ConnectionOptions conn, TenantSpec t, String message) {
        PrintWriter out = spec.commandLine().getOut();
        if (conn.json) {
            Output.json(out, t);
        } else {
            out.println(message);
            out.flush();
        }
    }
}
