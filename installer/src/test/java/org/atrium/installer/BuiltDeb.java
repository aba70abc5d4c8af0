package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The .deb that {@code build.sh} made in this build (directory given by Maven as atrium.deb.dir). */
final class BuiltDeb {
    private BuiltDeb() {
    }

    static Path find() throws IOException {
        Path dir = Path.of(System.getProperty("atrium.deb.dir", "target/jpackage"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
            assertThat(debs).as(".deb in %s", dir).hasSize(1);
            return debs.getFirst();
        }
    }
}
