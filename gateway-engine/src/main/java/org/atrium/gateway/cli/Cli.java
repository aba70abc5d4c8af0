package org.atrium.gateway.cli;

import java.io.PrintWriter;
import org.atrium.model.BanType;
import org.atrium.model.Priority;
import picocli.CommandLine;

/** Adds the operator subcommands to the gateway's command line, with the documented exit codes. */
public final class Cli {
    private Cli() {
    }

    /**
     * @param subcommands false for a plain gateway start: picocli builds every subcommand's model by
     *                    reflection, which cost ~0.9 s of a 4 s start-up for commands not being run
     */
    public static CommandLine install(CommandLine root, boolean subcommands) {
        if (subcommands) {
            root.addSubcommand(new TokenCommand())
                    .addSubcommand(new TenantCommand())
                    .addSubcommand(new BanCommand())
                    .addSubcommand(new RouteCommand())
                    .addSubcommand(new AuditCommand());
        }
        root.getCommandSpec().usageMessage().footer("", "Exit codes: 0 ok, 1 usage error, 2 not found or refused,"
                + " 3 gateway unreachable and no data dir, 4 audit chain broken, 5 other failure.");
        root.registerConverter(BanType.class, BanType::parse);
        root.registerConverter(Priority.class, Priority::parse);
        root.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(ex));
            err.flush();
            return ExitCodes.of(ex);
        });
        root.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        });
        return root;
    }

    private static String message(Exception ex) {
        if (ex instanceof CliException || ex instanceof org.atrium.gateway.admin.AdminException
                || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }
}
