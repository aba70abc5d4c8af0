package org.atrium.console.app;

import java.nio.file.Path;
import java.util.Locale;

/** What the command line asked for, resolved to concrete values. */
public record LaunchOptions(String gateway, Path adminTokenFile, boolean wall, Locale language, boolean noAutostart) {
}
