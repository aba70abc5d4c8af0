package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Desktop entries as the freedesktop.org menu spec wants them: {@code desktop-file-validate} clean
 * where it is installed (Debian's desktop-file-utils, which .ci/run installs), and in any case
 * exactly one main category and a theme icon name (so hicolor's 16-512 px and SVG are used).
 */
final class DesktopEntries {
    private static final Set<String> MAIN_CATEGORIES = Set.of("AudioVideo", "Audio", "Video", "Development",
            "Education", "Game", "Graphics", "Network", "Office", "Science", "Settings", "System", "Utility");

    private DesktopEntries() {
    }

    static void assertValid(Path entry) throws IOException {
        List<String> lines = Files.readAllLines(entry);
        String categories = lines.stream().filter(l -> l.startsWith("Categories=")).findFirst().orElseThrow()
                .substring("Categories=".length());
        assertThat(List.of(categories.split(";"))).as(entry + " main categories")
                .filteredOn(MAIN_CATEGORIES::contains).hasSize(1);
        assertThat(lines).as(entry.toString()).contains("Icon=atrium");
        Commands.Result which = Commands.run(List.of("sh", "-c", "command -v desktop-file-validate"));
        if (which.exitCode() == 0) {
            Commands.Result r = Commands.run(List.of("desktop-file-validate", entry.toString()));
            assertThat(r.output()).as("desktop-file-validate " + entry).isEmpty();
            assertThat(r.exitCode()).isZero();
        }
    }
}
