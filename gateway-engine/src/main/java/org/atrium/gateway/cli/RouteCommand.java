package org.atrium.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.atrium.model.BackendSpec;
import org.atrium.model.RouteSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code route list|add|set|remove}; set changes only what it names (PATCH). */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Manage routes (task ids / model names to backends). Routes from the configuration file are read-only.")
final class RouteCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List routes in force.")
    int list(@Mixin ConnectionOptions conn) {
        try (AdminClient c = conn.open()) {
            List<RouteSpec> routes = c.routes();
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, routes);
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (RouteSpec r : routes) {
                rows.add(List.of(r.id(), String.join(",", r.aliases()),
                        String.join(",", r.backends().stream().map(BackendSpec::url).toList()), r.balancer().wire(),
                        r.source() == null ? "-" : r.source()));
            }
            Output.table(out, List.of("ID", "ALIASES", "BACKENDS", "BALANCER", "SOURCE"), rows);
        }
        return ExitCodes.OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a stored route (exit 2 if the id exists).")
    int add(@Mixin ConnectionOptions conn,
            @Parameters(paramLabel = "ID", description = "Task id or model name.") String id,
            @Option(names = "--backend", required = true, split = ",", paramLabel = "URL",
                    description = "Backend base URL (http(s)://host:port or host:port), repeatable.") List<String> backends,
            @Option(names = "--alias", split = ",", description = "Other names (model names), repeatable.") List<String> aliases,
            @Option(names = "--health-path", paramLabel = "PATH", description = "Health check path, e.g. /health.")
            String healthPath) {
        RouteSpec r = new RouteSpec(id, aliases, backends.stream().map(BackendSpec::new).toList(), null, null, null, null,
                null, null, null, null, null, null, null, healthPath, null, null, null);
        try (AdminClient c = conn.open()) {
            RouteSpec created = c.createRoute(r);
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, created);
            } else {
                out.println("added route " + created.id());
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change some settings of a stored route; the others (its upstream key too) stay (PATCH).")
    int set(@Mixin ConnectionOptions conn,
            @Parameters(paramLabel = "ID") String id,
            @Option(names = "--backend", split = ",", paramLabel = "URL",
                    description = "Replace the backends with these, repeatable.") List<String> backends,
            @Option(names = "--alias", split = ",", description = "Replace the aliases with these, repeatable.") List<String> aliases,
            @Option(names = "--health-path", paramLabel = "PATH", description = "Health check path, e.g. /health.")
            String healthPath,
            @Option(names = "--read-timeout", paramLabel = "SECONDS", description = "Read timeout, 1-86400.") Integer readTimeout) {
        java.util.Map<String, Object> patch = new java.util.LinkedHashMap<>();
        if (backends != null) {
            patch.put("backends", backends.stream().map(u -> java.util.Map.of("url", u)).toList());
        }
        if (aliases != null) {
            patch.put("aliases", aliases);
        }
        if (healthPath != null) {
            patch.put("healthPath", healthPath);
        }
        if (readTimeout != null) {
            patch.put("readTimeoutSeconds", readTimeout);
        }
        if (patch.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to change: give at least one option (see --help)");
        }
        try (AdminClient c = conn.open()) {
            RouteSpec changed = c.patchRoute(id, patch);
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, changed);
            } else {
                out.println("changed route " + id + ": " + String.join(", ", patch.keySet()));
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a stored route.")
    int remove(@Mixin ConnectionOptions conn, @Parameters(paramLabel = "ID") String id) {
        try (AdminClient c = conn.open()) {
            c.deleteRoute(id);
            spec.commandLine().getOut().println("removed route " + id);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
