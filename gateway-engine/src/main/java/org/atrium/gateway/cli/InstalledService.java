package org.atrium.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the installed package keeps the service's configuration and data ({@code /etc/atrium},
 * {@code /var/lib/atrium}): what the CLI falls back to when neither an option nor
 * {@code ATRIUM_DATA_DIR} names a place and the per-user data folder holds no gateway, so that
 * the service user and members of group {@code atrium} reach the installed gateway with no option.
 * The system property {@value #ROOT_PROPERTY} moves the layout under another root (tests, a
 * relocated install).
 */
record InstalledService(Path config, Path dataDir) {
    static final String ROOT_PROPERTY = "atrium.service.root";

    static InstalledService here() {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "/"));
        return new InstalledService(root.resolve("etc/atrium/atrium.yaml"), root.resolve("var/lib/atrium"));
    }

    /** The package made its data dir here (postinst), whether or not the service runs. */
    boolean installed() {
        return Files.isDirectory(dataDir);
    }
}
