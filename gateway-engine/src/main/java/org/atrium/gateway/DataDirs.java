package org.atrium.gateway;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where the gateway keeps its data when {@code --data-dir} is not given. */
public final class DataDirs {
    private DataDirs() {
    }

    /** {@code ATRIUM_DATA_DIR}, else the platform's per-user data folder plus {@code atrium}. */
    public static Path defaultDataDir(Map<String, String> env) {
        String explicit = env.get("ATRIUM_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = env.getOrDefault("LOCALAPPDATA", home + "\\AppData\\Local");
            return Path.of(local, "Atrium");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Atrium");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "atrium") : Path.of(home, ".local", "share", "atrium");
    }
}
