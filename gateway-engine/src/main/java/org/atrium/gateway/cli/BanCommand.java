package org.atrium.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.atrium.model.Ban;
import org.atrium.model.BanRequest;
import org.atrium.model.BanType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ban add|list|remove}. */
@Command(name = "ban", mixinStandardHelpOptions = true,
        description = "Ban IPs (addresses or CIDR blocks), users, tasks, tokens (jti) or tenants.")
final class BanCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add or replace a ban.")
    int add(@Mixin ConnectionOptions conn,
            @Parameters(index = "0", paramLabel = "TYPE", description = "ip, user, task, token or tenant") BanType type,
            @Parameters(index = "1", paramLabel = "TARGET") String target,
            @Option(names = "--reason") String reason,
            @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
                    description = "Seconds until the ban ends (default 0: until removed).") long duration) {
        try (AdminClient c = conn.open()) {
            Ban b = c.addBan(new BanRequest(type, target, reason, duration));
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, b);
            } else {
                out.println("banned " + b.type().wire() + " " + b.target()
                        + (b.expiresAt() == null ? " until removed" : " until " + b.expiresAt()));
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List active bans.")
    int list(@Mixin ConnectionOptions conn, @Option(names = "--type", description = "Only this type.") BanType type) {
        try (AdminClient c = conn.open()) {
            List<Ban> bans = c.bans(type);
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, bans);
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Ban b : bans) {
                rows.add(java.util.Arrays.asList(b.type().wire(), b.target(), b.reason(), b.addedBy(), b.addedAt(),
                        b.expiresAt() == null ? "never" : b.expiresAt()));
            }
            Output.table(out, List.of("TYPE", "TARGET", "REASON", "ADDED_BY", "ADDED_AT", "EXPIRES"), rows);
        }
        return ExitCodes.OK;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a ban (exit 2 if there is none).")
    int remove(@Mixin ConnectionOptions conn,
               @Parameters(index = "0", paramLabel = "TYPE") BanType type,
               @Parameters(index = "1", paramLabel = "TARGET") String target) {
        try (AdminClient c = conn.open()) {
            c.removeBan(type, target);
            spec.commandLine().getOut().println("removed " + type.wire() + " ban " + target);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
