package org.atrium.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.atrium.model.Priority;
import org.atrium.model.TokenInfo;
import org.atrium.model.TokenIssueRequest;
import org.atrium.model.TokenIssued;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code token issue|list|revoke}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Issue, list and revoke tokens.")
final class TokenCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a token for a user of a tenant. The token is printed once; only its jti is kept.")
    int issue(@Mixin ConnectionOptions conn,
              @Option(names = "--user", required = true, description = "User id (sub and user_id claims).") String user,
              @Option(names = "--tenant", defaultValue = "default", description = "Tenant (default: ${DEFAULT-VALUE}).")
              String tenant,
              @Option(names = "--task", split = ",", paramLabel = "TASK",
                      description = "Allowed task/route id, repeatable or comma-separated (default: * = all).")
              List<String> tasks,
              @Option(names = "--role", defaultValue = "user", description = "user, admin or auditor (default: ${DEFAULT-VALUE}).")
              String role,
              @Option(names = "--ttl", paramLabel = "SECONDS",
                      description = "Lifetime in seconds (default 86400; capped by jwt.max_lifetime_seconds).") Long ttl,
              @Option(names = "--priority", description = "high, normal or low.") Priority priority) {
        try (AdminClient c = conn.open()) {
            TokenIssued t = c.issueToken(new TokenIssueRequest(tenant, user, tasks, role, ttl, priority));
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, t);
            } else {
                out.println("token:      " + t.token());
                out.println("jti:        " + t.jti());
                out.println("expires at: " + t.expiresAt());
                out.flush();
                spec.commandLine().getErr().println("Store the token now: it is not shown again.");
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List issued tokens (never the tokens themselves).")
    int list(@Mixin ConnectionOptions conn,
             @Option(names = "--tenant", description = "Only this tenant.") String tenant) {
        try (AdminClient c = conn.open()) {
            List<TokenInfo> tokens = c.tokens().stream().filter(t -> tenant == null || tenant.equals(t.tenant())).toList();
            PrintWriter out = spec.commandLine().getOut();
            if (conn.json) {
                Output.json(out, tokens);
                return ExitCodes.OK;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (TokenInfo t : tokens) {
                rows.add(List.of(t.jti(), t.tenant(), t.user(), t.role(), String.join(",", t.allowedTasks()),
                        String.valueOf(t.expiresAt()), t.revoked() ? "revoked " + t.revokedAt() : "active"));
            }
            Output.table(out, List.of("JTI", "TENANT", "USER", "ROLE", "TASKS", "EXPIRES", "STATE"), rows);
        }
        return ExitCodes.OK;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token by jti; the next request with it is refused (401).")
    int revoke(@Mixin ConnectionOptions conn, @Parameters(paramLabel = "JTI") String jti) {
        try (AdminClient c = conn.open()) {
            c.revokeToken(jti);
            spec.commandLine().getOut().println("revoked " + jti);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
