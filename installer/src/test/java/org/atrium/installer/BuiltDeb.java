package org.atrium.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The packages that {@code build.sh} made in this build (directory given by Maven as atrium.deb.dir). */
final class BuiltDeb {
    private BuiltDeb() {
    }

    static Path find() throws IOException {
        return find(".deb");
    }

    /** The one package of this kind ({@code .deb}, {@code .rpm}, {@code .tar.gz}) in the build's output. */
    static Path find(String suffix) throws IOException {
        Path dir = dir();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            assertThat(found).as(suffix + " in %s", dir).hasSize(1);
            return found.getFirst();
        }
    }

    static Path dir() {
        return Path.of(System.getProperty("atrium.deb.dir", "target/jpackage"));
    }

    /** The build's version (the parent pom's), which every package and binary carries. */
    static String version() {
        String v = System.getProperty("atrium.version");
        assertThat(v).as("atrium.version given by Maven").isNotBlank();
        return v;
    }

    /** The sizes the build wrote for the docs. */
    static String sizes() throws IOException {
        return Files.readString(dir().resolve("sizes.txt"));
    }
}
