package org.atrium.gateway;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.atrium.gateway.cli.Cli;
import org.atrium.gateway.config.ConfigException;
import org.atrium.gateway.security.Secrets;
import org.atrium.model.ValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atrium-gateway}: starts the gateway; operator commands are subcommands. */
@Command(name = "atrium-gateway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Atrium LLM gateway for hospital GPU rooms.")
public final class Main implements Callable<Integer> {
    /** System property naming the command in usage and error messages (default atrium-gateway). */
    public static final String COMMAND_NAME_PROPERTY = "atrium.command";

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (optional).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: env ATRIUM_DATA_DIR, else a per-user data folder).")
    Path dataDir;

    public static void main(String[] args) {
        io.helidon.logging.common.LogConfig.configureRuntime();
        Main plain = plainStart(args);
        if (plain == null) {
            System.exit(commandLine(true).execute(args));
        }
        // The service's own command line (the systemd unit, the package's launcher): read here, not by
        // picocli. Its class files are Java 5, which the JDK's AOT cache cannot hold ("Old class has
        // been linked"): ~170 classes read, verified and reflected over at every start, about a fifth
        // of the time to /ready with the shipped cache.
        int code;
        try {
            code = plain.call();
        } catch (Exception e) {
            System.err.println("atrium-gateway: " + e);
            code = org.atrium.gateway.cli.ExitCodes.of(e);
        }
        System.exit(code);
    }

    /** The whole command line: the gateway itself and the operator subcommands. */
    public static CommandLine commandLine() {
        return commandLine(true);
    }

    static CommandLine commandLine(boolean subcommands) {
        CommandLine cl = Cli.install(new CommandLine(new Main()), subcommands);
        // The name usage and errors call this command by: the "atrium" command passes its own.
        String name = System.getProperty(COMMAND_NAME_PROPERTY);
        if (name != null && !name.isBlank()) {
            cl.setCommandName(name);
        }
        return cl;
    }

    /**
     * Whether {@code args} only start the gateway ({@code --config}, {@code --data-dir}): then the
     * operator subcommands are not built. Anything else (a subcommand, {@code --help}, a typo) gets
     * the whole command line, so help and error messages are the same as ever.
     */
    static boolean startsGatewayOnly(String[] args) {
        return plainStart(args) != null;
    }

    /**
     * The gateway with the options of a plain start ({@code --config FILE}, {@code --data-dir DIR},
     * each at most once, also as {@code --option=value}), or null for anything else: picocli then
     * parses it and answers help, subcommands, typos and errors as ever.
     */
    static Main plainStart(String[] args) {
        Main m = new Main();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int eq = a.indexOf('=');
                String name;
                String value;
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    name = a;
                    value = args[++i];
                } else {
                    return null;
                }
                switch (name) {
                    case "--config" -> {
                        if (m.config != null) {
                            return null;
                        }
                        m.config = Path.of(value);
                    }
                    case "--data-dir" -> {
                        if (m.dataDir != null) {
                            return null;
                        }
                        m.dataDir = Path.of(value);
                    }
                    default -> {
                        return null;
                    }
                }
            }
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : DataDirs.defaultDataDir(System.getenv());
        GatewayServer server;
        try {
            server = GatewayServer.start(GatewayServer.Options.of(config, dir));
        } catch (Secrets.WeakSecretException | ConfigException | ValidationException e) {
            System.err.println("atrium-gateway: cannot start: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("atrium-gateway: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "atrium-shutdown"));
        stop.await();
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"atrium-gateway " + GatewayServer.VERSION};
        }
    }
}
