package org.atrium.console;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.atrium.console.app.ConsoleApp;
import org.atrium.console.app.GatewayLocator;
import org.atrium.console.app.LaunchOptions;
import org.atrium.console.client.GatewayTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of {@code atrium-console.jar}. Does not extend {@code Application}, so the console runs
 * from a plain classpath (libraries beside the jar) without module flags.
 */
@Command(name = "atrium-console", mixinStandardHelpOptions = true, version = "Atrium console 0.1.0",
        description = "Admin console and wall screen for an Atrium gateway.")
public final class Launcher implements Callable<Integer> {
    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081",
            description = "Admin listener of the gateway (default: ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the admin token (default: admin.token in your gateway data dir, else the installed"
                    + " service's /var/lib/atrium/admin.token).")
    Path adminTokenFile;

    @Option(names = "--wall", description = "Wall-screen mode: full screen, dark, rotating live charts, no editing.")
    boolean wall;

    @Option(names = "--lang", paramLabel = "zh|en", description = "Language (default: the saved choice, else the OS locale).")
    String lang;

    @Option(names = "--no-autostart", description = "Never start a local gateway, only connect.")
    boolean noAutostart;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Launcher());
        int code = cl.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        GatewayTarget target;
        try {
            target = GatewayTarget.parse(gateway, null);
        } catch (IllegalArgumentException e) {
            System.err.println("atrium-console: " + e.getMessage());
            return 2;
        }
        Path tokenFile = adminTokenFile != null ? adminTokenFile : GatewayLocator.defaultTokenFile();
        Preferences prefs = Preferences.userRoot().node("org/atrium/console");
        Locale locale = lang != null ? Locale.forLanguageTag(lang)
                : Locale.forLanguageTag(prefs.get("language", Locale.getDefault().toLanguageTag()));
        LaunchOptions options = new LaunchOptions(target.baseUri().toString(), tokenFile, wall, locale, noAutostart);
        Platform.startup(() -> {
            ConsoleApp app = new ConsoleApp(options, l -> prefs.put("language", l.toLanguageTag()));
            app.start(new Stage());
        });
        return 0;
    }
}
